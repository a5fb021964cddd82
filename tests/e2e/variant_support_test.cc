// Every app that builds for one variant builds for all of them: third-party
// code touching errno in a threads variant, devices the prebuilt wasm32
// libraries cannot serve (refused in devices.yaml), variants sharing compile
// flags (each action runs once), and `size` attributing like the build.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A matrix with a baseline, a SIMD and a SIMD + threads device (interp, so
// that `run` can run the threads variant).
constexpr const char* kSimdThreadsDevices = R"(devices:
  tv:  { memory: 128MiB, engine: interp, host_abi: 1 }
  box: { simd: true, memory: 256MiB, engine: interp, host_abi: 1 }
  con: { simd: true, threads: true, cores: 4, memory: 512MiB, engine: interp, host_abi: 1 }
)";

// In the style of a small vendored C library: range errors through errno.
constexpr const char* kVendoredC = R"(#include <errno.h>
#include <stdlib.h>

#include "numparse.h"

int numparse_long(const char* text, long* out) {
  char* end = 0;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno == ERANGE || end == text) return -1;
  *out = value;
  return 0;
}
)";

constexpr const char* kVendoredHeader = R"(#pragma once
#ifdef __cplusplus
extern "C" {
#endif
int numparse_long(const char* text, long* out);
#ifdef __cplusplus
}
#endif
)";

// nlohmann::json (Debian's header, reachable through --sysroot=/usr) parses
// numbers with strtod; the app and the vendored C code read errno too.
constexpr const char* kJsonApp = R"(#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <wasmship/ui.hpp>

#include "numparse.h"

std::string Summary() {
  nlohmann::json doc = nlohmann::json::parse(R"j({"pi": 3.25, "items": [1, 2, 3]})j", nullptr, false);
  errno = 0;
  std::strtod("1e999", nullptr);
  int erange = errno == ERANGE;
  long n = 0, big = 0;
  int ok = numparse_long("42", &n);
  int overflow = numparse_long("99999999999999999999999", &big);
  char line[128];
  std::snprintf(line, sizeof line, "pi=%.2f items=%zu erange=%d n=%ld ok=%d overflow=%d",
                doc["pi"].get<double>(), doc["items"].size(), erange, n, ok, overflow);
  return line;
}

UI_COMPOSABLE ws::View Root() {
  static const std::string summary = Summary();
  std::printf("%s\n", summary.c_str());
  return ws::Text({.text = summary});
}
UI_APP(Root)
)";

void WriteJsonApp(ProjectSandbox& project) {
  project.Write("wasmship.yaml", R"(app: { name: thirdparty, version: 0.1.0 }
sources: [src/*.cpp, third_party/*.c]
include: [third_party]
devices: devices.yaml
)");
  project.Write("devices.yaml", kSimdThreadsDevices);
  project.Write("src/main.cpp", kJsonApp);
  project.Write("third_party/numparse.c", kVendoredC);
  project.Write("third_party/numparse.h", kVendoredHeader);
}

constexpr const char* kExpectedSummary = "pi=3.25 items=3 erange=1 n=42 ok=0 overflow=-1";

// Before: wasm-ld refused the threads variant ("relocation
// R_WASM_MEMORY_ADDR_TLS_SLEB cannot be used against non-TLS symbol errno").
TEST(VariantSupportTest, ThirdPartyCodeTouchingErrnoBuildsForEveryVariant) {
  ProjectSandbox project;
  WriteJsonApp(project);
  RunResult debug = project.Wasmship({"build", "-p", "debug", "--all-devices"});
  ASSERT_EQ(debug.exit_code, 0) << debug.err;
  EXPECT_EQ(project.FilesIn("dist/debug", ".wasm"),
            (std::vector<std::string>{"thirdparty-base-128m-debug.wasm", "thirdparty-simd-256m-debug.wasm",
                                      "thirdparty-simd-threads-512m-debug.wasm"}));

  // The threads variant runs, and errno works on the main thread (libc's,
  // the app's and the vendored code's are one variable).
  RunResult run = project.Wasmship({"run", "--device", "con"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, kExpectedSummary);
  RunResult base = project.Wasmship({"run", "--device", "tv"});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  ExpectContains(base.out, kExpectedSummary);
}

TEST(VariantSupportTest, ThirdPartyCodeTouchingErrnoBuildsItsThreadsVariantInRelease) {
  ProjectSandbox project;
  WriteJsonApp(project);
  project.AddSigningKey();
  // The variant that could not link (the others share their compile flags
  // with the debug test's, and their release pipeline with other tests').
  RunResult release = project.Wasmship({"build", "-p", "release", "--device", "con"});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  EXPECT_TRUE(project.Exists("dist/thirdparty-simd-threads-512m-release.wasm"));
  RunResult run = project.Wasmship({"run", "-p", "release", "--device", "con"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, kExpectedSummary);
}

// Before: accepted by `matrix`, then every build failed validation with a
// message blaming the app's code.
TEST(VariantSupportTest, DevicesThePrebuiltLibrariesCannotServeAreRefusedAtTheirLine) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("devices.yaml", R"(devices:
  tv:  { memory: 128MiB, engine: interp, host_abi: 1 }
  old: { sign_ext: false, memory: 64MiB, engine: interp, host_abi: 1 }
  odd: { threads: true, bulk_memory: false, memory: 64MiB }
)");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"matrix"}, std::vector<std::string>{"build", "--device", "tv"}}) {
    RunResult r = project.Wasmship(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << "\n" << r.err;
    ExpectContains(r.err, "devices.yaml:3:20: error: device 'old' has sign_ext: false, but the prebuilt wasm32 "
                          "libraries (libc++, libc++abi) use sign-extension instructions");
    ExpectContains(r.err, "remove `sign_ext: false`");
    ExpectContains(r.err, "devices.yaml:4:38: error: device 'odd' has threads: true and bulk_memory: false");
  }
  EXPECT_FALSE(project.Exists("dist"));
}

// Before: `memory: 0` built a module without a maximum, 99999999GiB failed in wasm-ld.
TEST(VariantSupportTest, MemoryOutsideWasm32sRangeIsRefusedAtItsLine) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("devices.yaml", R"(devices:
  tv:   { memory: 0, engine: interp, host_abi: 1 }
  huge: { memory: 99999999GiB }
)");
  RunResult r = project.Wasmship({"matrix"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectContains(r.err, "devices.yaml:2:19: error: devices.tv.memory is 0, outside the valid range 1MiB to 4GiB");
  ExpectContains(r.err, "devices.yaml:3:19: error: devices.huge.memory is 99999999GiB, outside the valid range");
}

// Two devices that differ only in memory: two variants, one set of compile
// flags. Before, each runtime file and each plain C source compiled twice at
// once (two cache misses, two compile steps).
TEST(VariantSupportTest, VariantsSharingCompileFlagsCompileEachFileOnce) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: twins, version: 0.1.0 }\nsources: [src/*.cpp, src/*.c]\n"
                                 "devices: devices.yaml\n");
  project.Write("devices.yaml", R"(devices:
  small: { memory: 64MiB, engine: interp, host_abi: 1 }
  large: { memory: 128MiB, engine: interp, host_abi: 1 }
)");
  project.Write("src/main.cpp", MinimalAppSource("twins"));
  // Unique per run, so that the shared cache cannot already hold them.
  std::string marker = "/* " + project.dir() + " " + std::to_string(::time(nullptr)) + " */\n";
  project.Write("src/one.c", marker + "int one(void) { return 1; }\n");
  project.Write("src/two.c", marker + "int two(void) { return 2; }\n");
  RunResult build = project.Wasmship({"build", "--all-devices"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json report = json::parse(project.Read("dist/debug/report.json"));
  ASSERT_EQ(report["variants"].size(), 2u);
  std::map<std::string, std::map<std::string, int>> statuses;  // source → status → count
  for (const json& unit : report["cache"]["units"]) ++statuses[unit["source"]][unit["status"].get<std::string>()];
  for (const char* c : {"src/one.c", "src/two.c"}) {
    EXPECT_EQ(statuses[c], (std::map<std::string, int>{{"hit", 1}, {"miss", 1}})) << c;
  }
  size_t runtime = 0;
  for (const auto& [source, counts] : statuses) {
    if (source.rfind("wasmship-runtime/", 0) != 0) continue;
    ++runtime;
    EXPECT_LE(counts.count("miss") ? counts.at("miss") : 0, 1) << source;  // 0 when an earlier test cached it
  }
  EXPECT_GT(runtime, 5u) << report["cache"].dump(1);
  // The plain progress lines agree: one compile step per file.
  for (const auto& [source, counts] : statuses) {
    if (source.rfind("wasmship-runtime/", 0) != 0 && source.find(".c") == std::string::npos) continue;
    size_t steps = 0;
    for (size_t at = build.out.find("compile " + source); at != std::string::npos;
         at = build.out.find("compile " + source, at + 1)) {
      ++steps;
    }
    EXPECT_LE(steps, 1u) << source << "\n" << build.out;
  }
}

json FunctionsByName(const json& sizes) {
  json by_name = json::object();
  for (const json& f : sizes["functions"]) by_name[f["name"].get<std::string>()] = f["component"];
  return by_name;
}

std::map<std::string, uint64_t> ComponentBytes(const json& sizes) {
  std::map<std::string, uint64_t> bytes;
  for (const json& c : sizes["components"]) bytes[c["name"]] = c["bytes"];
  return bytes;
}

// Before: `size` said "app" for printf_core, dlmalloc and dlfree, which the
// build report puts in libc.
TEST(VariantSupportTest, SizeAttributesComponentsLikeTheBuildReport) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.AddSigningKey();
  // A release module is stripped: `size` finds dist/symbols/<variant>.map.json
  // for its names and the build's components.
  RunResult build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  json report = json::parse(project.Read("dist/report.json"));
  const json& built = report["variants"][0]["size"];
  std::string module = "dist/" + report["variants"][0]["module"]["file"].get<std::string>();
  RunResult size = project.Wasmship({"size", module, "--format", "json", "--top", "100000"});
  ASSERT_EQ(size.exit_code, 0) << size.err;
  json sized = json::parse(size.out);
  EXPECT_EQ(ComponentBytes(sized), ComponentBytes(built)) << size.out;
  json sized_functions = FunctionsByName(sized);
  for (const auto& [name, component] : FunctionsByName(built).items()) {
    EXPECT_EQ(sized_functions[name], component) << name;
  }
  // (printf and dlmalloc, the largest once, are no longer linked: docs/runtime.md, "Memory")
  for (const char* libc : {"memcpy", "memmove", "strlen"}) {
    EXPECT_EQ(FunctionsByName(built)[libc], "libc") << libc;
    EXPECT_EQ(FunctionsByName(sized)[libc], "libc") << libc;
  }

  // A debug module away from its build (no symbol map), by its own names:
  // libc's functions are still libc's.
  RunResult debug = project.Wasmship({"build", "--device", "tv-2019"});
  ASSERT_EQ(debug.exit_code, 0) << debug.err;
  for (const auto& entry : fs::recursive_directory_iterator(project.Path("dist"))) {
    if (entry.path().filename() == "hello-base-128m-debug.wasm") fs::copy_file(entry.path(), project.Path("foreign.wasm"));
  }
  RunResult foreign = project.Wasmship({"size", "foreign.wasm", "--format", "json", "--top", "100000"});
  ASSERT_EQ(foreign.exit_code, 0) << foreign.err;
  json by_name = FunctionsByName(json::parse(foreign.out));
  for (const char* libc : {"memcpy", "memmove", "strlen"}) EXPECT_EQ(by_name[libc], "libc") << libc;
}

}  // namespace
}  // namespace ws::e2e
