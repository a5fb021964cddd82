// wasmship build on examples/hello and small projects: outputs, the cache,
// the compile database and the host ABI check of the linked module.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Report(const ProjectSandbox& project) { return json::parse(project.Read("dist/debug/report.json")); }

std::string UnitStatus(const json& report, const std::string& source) {
  for (const json& unit : report["cache"]["units"]) {
    if (unit["source"] == source) return unit["status"];
  }
  return "absent";
}

// Cache results of the app's own sources (the runtime's are shared by all tests).
int AppUnits(const json& report, const std::string& status) {
  int n = 0;
  for (const json& unit : report["cache"]["units"]) {
    std::string source = unit["source"];
    n += source.rfind("wasmship-runtime/", 0) != 0 && unit["status"] == status;
  }
  return n;
}

// A project where a.cpp alone includes a.h and both sources include shared.h;
// the app prints FromA() + Shared().
void WriteTwoUnitProject(ProjectSandbox& project) {
  project.Write("wasmship.yaml", "app: { name: two, version: 1.0.0 }\nsources: [src/*.cpp]\ninclude: [src]\n");
  project.Write("src/shared.h", "#pragma once\ninline int Shared() { return 1; }\n");
  project.Write("src/a.h", "#pragma once\ninline int A() { return 2; }\n");
  project.Write("src/a.cpp", "#include \"a.h\"\n#include \"shared.h\"\nint FromA() { return A() + Shared(); }\n");
  project.Write("src/main.cpp",
                "#include <cstdio>\n#include <wasmship/ui.hpp>\n#include \"shared.h\"\nint FromA();\n"
                "UI_COMPOSABLE ws::View Root() {\n  std::printf(\"%d\\n\", FromA() + Shared());\n"
                "  return ws::Text({.text = \"two\"});\n}\nUI_APP(Root)\n");
}

TEST(BuildTest, HelloBuildsValidatesAndRuns) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_NE(build.err.find("Finished debug build of hello 0.1.0"), std::string::npos) << build.err;
  ASSERT_TRUE(project.Exists("dist/debug/hello-base-128m-debug.wasm"));
  RunResult validate = RunCommand({"wasm-validate", "dist/debug/hello-base-128m-debug.wasm"}, project.dir());
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  RunResult run = project.Wasmship({"run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Hello, living room!\n");
  // The link map and the compile database are written beside the build.
  EXPECT_TRUE(project.Exists(".wasmship/build/base-128m-debug/hello.map"));
  json db = json::parse(project.Read(".wasmship/compile_commands.json"));
  ASSERT_GT(db.size(), 2u);
  EXPECT_EQ(db[0]["file"], "src/greeting.cpp");
  EXPECT_EQ(db[0]["arguments"][1], "--target=wasm32-wasi");
}

// The runtime's objects are linked before the app's, so that the app's code
// and data come last and an app edit moves less of the runtime's.
TEST(BuildTest, RuntimeObjectsAreLinkedBeforeTheApps) {
  ProjectSandbox project;
  project.CopyExample("hello");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  std::istringstream map(project.Read(".wasmship/build/base-128m-debug/hello.map"));
  int line_number = 0, last_runtime = 0, first_app = 0;
  for (std::string line; std::getline(map, line);) {
    ++line_number;
    if (line.ends_with(" DATA")) break;  // the CODE section's functions, in link order, come before
    if (line.find("/runtime/src/") != std::string::npos) last_runtime = line_number;
    if (first_app == 0 && line.find("/obj/src/") != std::string::npos) first_app = line_number;
  }
  EXPECT_GT(last_runtime, 0);
  EXPECT_GT(first_app, last_runtime);
}

// The options `wasmship __optimize` received: the request the build wrote for
// its only variant.
json OptimizeOptions(const ProjectSandbox& project) {
  for (const auto& dir : fs::directory_iterator(project.Path(".wasmship/build"))) {
    if (fs::exists(dir.path() / "optimize-request.json")) {
      return json::parse(project.Read(".wasmship/build/" + dir.path().filename().string() +
                                      "/optimize-request.json"))["options"];
    }
  }
  return json();
}

// The optimizer may assume the low 1 KiB unused only while the link leaves it
// free: a profile that links with --stack-first puts the stack there.
TEST(BuildTest, LowMemoryAssumptionFollowsTheLinkLayout) {
  ProjectSandbox project;
  project.UsePrivateCache();  // the link and the optimizer must run, not come from the shared cache
  project.CopyExample("hello");
  project.AddSigningKey();
  RunResult plain = project.Wasmship({"-v", "build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ExpectContains(plain.err, "__optimize --request");
  EXPECT_EQ(OptimizeOptions(project)["low_memory_unused"], true);
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") +
                                     "profiles:\n  release: { opt: Oz, lto: true, strip: true, ldflags: [--stack-first] }\n");
  RunResult stack_first = project.Wasmship({"-v", "build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(stack_first.exit_code, 0) << stack_first.err;
  ExpectContains(stack_first.err, "__optimize --request");
  EXPECT_EQ(OptimizeOptions(project)["low_memory_unused"], false);
  EXPECT_EQ(project.Wasmship({"run", "-p", "release", "--device", "tv-2019"}).out, "Hello, living room!\n");
}

TEST(BuildTest, ReportHasTimingsAndCacheCounts) {
  ProjectSandbox project;
  project.UsePrivateCache();  // the link and the optimizer must run, not come from the shared cache
  project.CopyExample("hello");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  json report = Report(project);
  EXPECT_GT(report["timings_ms"]["compile"].get<double>(), 0);
  EXPECT_GT(report["timings_ms"]["link"].get<double>(), 0);
  EXPECT_GE(report["timings_ms"]["total"].get<double>(), report["timings_ms"]["compile"].get<double>());
  EXPECT_EQ(AppUnits(report, "miss"), 3);  // two sources and the DSL one's literal table
  EXPECT_EQ(report["module"]["bytes"].get<uint64_t>(), fs::file_size(project.Path("dist/debug/hello-base-128m-debug.wasm")));
  EXPECT_EQ(UnitStatus(report, "wasmship-runtime/src/reactive.cc") == "absent", false);
}

TEST(BuildTest, NoOpBuildCompilesAndLinksNothing) {
  ProjectSandbox project;
  project.CopyExample("hello");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  auto mtime = fs::last_write_time(project.Path("dist/debug/hello-base-128m-debug.wasm"));
  RunResult again = project.Wasmship({"build"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("compile "), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("link "), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("(up to date)"), std::string::npos);
  json report = Report(project);
  EXPECT_EQ(report["cache"]["misses"], 0);
  EXPECT_EQ(report["module"]["linked"], false);
  EXPECT_EQ(fs::last_write_time(project.Path("dist/debug/hello-base-128m-debug.wasm")), mtime);
  // Once the report says "all hits", a further no-op build rewrites nothing.
  auto report_mtime = fs::last_write_time(project.Path("dist/debug/report.html"));
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(project.Path("dist/debug/report.html")), report_mtime);
  EXPECT_EQ(Report(project)["cache"]["misses"], 0);
}

TEST(BuildTest, HeaderEditRecompilesExactlyItsIncluders) {
  ProjectSandbox project;
  WriteTwoUnitProject(project);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  project.Write("src/a.h", "#pragma once\ninline int A() { return 3; }\n");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  json report = Report(project);
  EXPECT_EQ(UnitStatus(report, "src/a.cpp"), "miss");
  EXPECT_EQ(UnitStatus(report, "src/main.cpp"), "hit");
  EXPECT_EQ(report["cache"]["misses"], 1);  // the runtime did not recompile either
  project.Write("src/shared.h", "#pragma once\ninline int Shared() { return 5; }\n");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  report = Report(project);
  EXPECT_EQ(UnitStatus(report, "src/a.cpp"), "miss");
  EXPECT_EQ(UnitStatus(report, "src/main.cpp"), "miss");
  RunResult run = project.Wasmship({"run"});
  EXPECT_EQ(run.out, "13\n");  // 3 + 5 + 5: the edits reached the module
}

TEST(BuildTest, SourceEditAndRevertHitTheCache) {
  ProjectSandbox project;
  WriteTwoUnitProject(project);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  std::string original = project.Read("src/main.cpp");
  project.Write("src/main.cpp", original + "// a comment\n");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(UnitStatus(Report(project), "src/main.cpp"), "miss");
  project.Write("src/main.cpp", original);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(UnitStatus(Report(project), "src/main.cpp"), "hit");
}

TEST(BuildTest, CorruptCacheEntryIsDetectedAndRebuilt) {
  ProjectSandbox project;
  project.UsePrivateCache();  // this test damages the cache
  project.CopyExample("hello");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  int damaged = 0;
  for (const auto& f : fs::recursive_directory_iterator(project.Path(".wasmship/cache/cas"))) {
    if (!f.is_regular_file()) continue;
    std::string path = fs::relative(f.path(), project.dir()).string();
    std::string bytes = project.Read(path);
    bytes[bytes.size() / 2] ^= 0x55;
    project.Write(path, bytes);
    ++damaged;
  }
  RunResult rebuild = project.Wasmship({"build"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_NE(rebuild.err.find("was damaged"), std::string::npos) << rebuild.err;
  json report = Report(project);
  // Every object was damaged (the cache also holds the precompiled header and expansions).
  EXPECT_GT(damaged, 2);
  EXPECT_EQ(report["cache"]["corrupt"], report["cache"]["units"].size());
  EXPECT_EQ(report["cache"]["hits"], 0);
  EXPECT_EQ(project.Wasmship({"run"}).out, "Hello, living room!\n");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(Report(project)["cache"]["misses"], 0);
}

TEST(BuildTest, SharedCacheDirServesAnotherCheckout) {
  ProjectSandbox first;
  first.CopyExample("hello");
  std::string cache = first.Path("shared-cache");
  ASSERT_EQ(first.Wasmship({"build"}, {"WASMSHIP_CACHE_DIR=" + cache}).exit_code, 0);
  ASSERT_TRUE(fs::exists(cache + "/cas"));
  ASSERT_FALSE(first.Exists(".wasmship/cache"));
  // A second checkout of the same sources at another path: every TU hits.
  std::string second = first.Path("checkout2");
  fs::create_directories(second);
  fs::copy(first.Path("src"), second + "/src", fs::copy_options::recursive);
  fs::copy(first.Path("wasmship.yaml"), second + "/wasmship.yaml");
  fs::copy(first.Path("devices.yaml"), second + "/devices.yaml");
  RunResult build = RunCommand({WASMSHIP_BINARY, "build"}, second, {"CI=1", "WASMSHIP_CACHE_DIR=" + cache});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json report = json::parse(first.Read("checkout2/dist/debug/report.json"));
  EXPECT_EQ(report["cache"]["misses"], 0);
  EXPECT_GT(report["cache"]["hits"].get<int>(), 2);
}

TEST(BuildTest, ReleaseProfileIsSmallerAndStripped) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.AddSigningKey();
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  RunResult release = project.Wasmship({"build", "-p", "release"});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  auto debug_size = fs::file_size(project.Path("dist/debug/hello-base-128m-debug.wasm"));
  auto release_size = fs::file_size(project.Path("dist/hello-base-128m-release.wasm"));
  EXPECT_LT(release_size * 2, debug_size);
  RunResult names = RunCommand({"wasm-objdump", "-h", "dist/hello-base-128m-release.wasm"}, project.dir());
  EXPECT_EQ(names.out.find("\"name\""), std::string::npos) << names.out;
  EXPECT_EQ(project.Wasmship({"run", "-p", "release"}).out, "Hello, living room!\n");
}

TEST(BuildTest, OutDirAndJsonFormat) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult build = project.Wasmship({"build", "--out", "elsewhere", "--format", "json"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json summary = json::parse(build.out);
  EXPECT_EQ(summary["status"], "ok");
  EXPECT_EQ(summary["report"]["app"]["name"], "hello");
  EXPECT_TRUE(project.Exists("elsewhere/hello-base-128m-debug.wasm"));
  EXPECT_TRUE(project.Exists("elsewhere/report.json"));
}

TEST(BuildTest, WorksFromASubdirectoryAndWithDashC) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult from_sub = project.Wasmship({"build"}, {}, "src");
  ASSERT_EQ(from_sub.exit_code, 0) << from_sub.err;
  std::vector<std::string> env = project.Environment();
  RunResult with_c = RunCommand({WASMSHIP_BINARY, "-C", project.dir(), "build"}, "/", env);
  ASSERT_EQ(with_c.exit_code, 0) << with_c.err;
  EXPECT_NE(with_c.err.find("(up to date)"), std::string::npos);
}

TEST(BuildTest, ModulesImportingOutsideTheHostAbiFailTheBuild) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: sneaky, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  project.Write("src/main.cpp",
                "#include <wasmship/ui.hpp>\n"
                "extern \"C\" __attribute__((import_module(\"env\"), import_name(\"open_socket\"))) int OpenSocket();\n"
                "UI_COMPOSABLE ws::View Root() { OpenSocket(); return ws::Text({.text = \"x\"}); }\nUI_APP(Root)\n");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_NE(build.err.find("imports env.open_socket, which the host ABI does not allow"), std::string::npos)
      << build.err;
  EXPECT_FALSE(project.Exists("dist/debug/sneaky-debug.wasm"));
}

TEST(BuildTest, AppWithoutRootSaysWhatToAdd) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: rootless, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  project.Write("src/main.cpp", "int Helper() { return 1; }\n");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_NE(build.err.find("add `UI_APP(Root);` to one source file"), std::string::npos) << build.err;
}

}  // namespace
}  // namespace ws::e2e
