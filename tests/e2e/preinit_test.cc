// `preinit: true` (docs/preinit.md): catalog started from a build-time
// snapshot draws exactly the screens it draws without one, on both engines
// and on a screen of another size than the snapshot's; with its data fixed
// at build time (`preinit_fetch:`) too.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kShots[] = {"1-profiles", "2-shelves", "3-moved", "4-details", "5-back"};

// The golden script on a release build for `device` (its engine), with
// `extra` arguments; the screenshots move to `shots`.
void RunScript(ProjectSandbox& project, const std::string& device, const std::string& engine,
               const std::string& shots, const std::vector<std::string>& extra = {}) {
  fs::remove_all(project.Path("shots"));
  std::vector<std::string> args = {"run", "-p", "release", "--device", device, "--engine", engine, "--script",
                                   SourcePath("tests/golden/catalog/script.yaml"), "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult run = project.Wasmship(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["traps"].size(), 0u);
  fs::rename(project.Path("shots"), project.Path(shots));
}

// The golden walk's screenshots of the runs `prefix-*` are those of the runs
// without a snapshot (`plain-*`) and the golden ones.
void ExpectSameShots(ProjectSandbox& project, const std::string& prefix) {
  for (const char* shot : kShots) {
    std::string name = std::string(shot) + ".png";
    EXPECT_EQ(project.Read("plain-interp/" + name), project.Read(prefix + "-interp/" + name)) << prefix << " " << name;
    EXPECT_EQ(project.Read("plain-aot/" + name), project.Read(prefix + "-aot/" + name)) << prefix << " " << name;
    EXPECT_EQ(project.Read("plain-small/" + name), project.Read(prefix + "-small/" + name)) << prefix << " " << name;
    std::string golden = fs::relative(SourcePath("tests/golden/catalog/" + name), project.dir()).string();
    EXPECT_EQ(project.Read(prefix + "-interp/" + name), project.Read(golden)) << prefix << " " << name;
  }
}

// The three runs of a snapshot build: both engines, and another screen size.
void RunAll(ProjectSandbox& project, const std::string& prefix) {
  RunScript(project, "tv-2019", "interp", prefix + "-interp");
  RunScript(project, "box-2023", "aot", prefix + "-aot");
  // Not the snapshot's 1280x720: ws_init builds the UI again.
  RunScript(project, "tv-2019", "interp", prefix + "-small", {"--size", "960x540"});
}

TEST(PreinitTest, CatalogDrawsTheSameScreensWithAndWithoutASnapshotOnBothEngines) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.AddSigningKey();
  RunScript(project, "tv-2019", "interp", "plain-interp");
  RunScript(project, "box-2023", "aot", "plain-aot");
  RunScript(project, "tv-2019", "interp", "plain-small", {"--size", "960x540"});
  std::string plain_module = project.Read("dist/catalog-base-128m-release.wasm");

  std::string manifest = project.Read("wasmship.yaml");
  project.Write("wasmship.yaml", manifest + "profiles:\n  release: { preinit: true }\n");
  RunResult build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019", "--device", "box-2023"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  // catalog's start-up snapshots whole: its fetch is deferred, not a stop.
  EXPECT_EQ(build.err.find("pre-initialization"), std::string::npos) << build.err;
  std::string module = project.Read("dist/catalog-base-128m-release.wasm");
  EXPECT_NE(module, plain_module);
  EXPECT_NE(module.find("ws_preinit"), std::string::npos);

  // Its data is the device's: the snapshot does not hold it.
  EXPECT_EQ(module.find("Midnight Signal"), std::string::npos);
  RunAll(project, "preinit");
  ExpectSameShots(project, "preinit");

  // catalog.json fixed at build time: the snapshot holds it parsed and the
  // profiles page built on it, and the screens are still the same.
  project.Write("wasmship.yaml", manifest + "profiles:\n  release: { preinit: true, preinit_fetch: [catalog.json] }\n");
  build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019", "--device", "box-2023"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(build.err.find("pre-initialization"), std::string::npos) << build.err;
  module = project.Read("dist/catalog-base-128m-release.wasm");
  EXPECT_NE(module.find("Midnight Signal"), std::string::npos);  // a title of catalog.json, parsed
  json report = json::parse(project.Read(".wasmship/build/base-128m-release/optimizer.json"))["preinit"];
  EXPECT_EQ(report["fetched"], json::array({"catalog.json"})) << report.dump();
  EXPECT_EQ(report["snapshot_after"], "ws_preinit") << report.dump();
  EXPECT_GE(report["rounds"].get<int>(), 2) << report.dump();
  RunAll(project, "fetch");
  ExpectSameShots(project, "fetch");

  // The listed file is an input of the snapshot: editing it redoes it.
  std::string catalog = project.Read("assets/catalog.json");
  catalog.replace(catalog.find("Midnight Signal"), 15, "Noon Broadcasts");
  project.Write("assets/catalog.json", catalog);
  build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  module = project.Read("dist/catalog-base-128m-release.wasm");
  EXPECT_EQ(module.find("Midnight Signal"), std::string::npos);
  EXPECT_NE(module.find("Noon Broadcasts"), std::string::npos);
}

// A listed asset that is not there fails the build before anything
// compiles, naming the manifest's line and column; so does a list without
// `preinit: true`.
TEST(PreinitTest, AMissingBuildTimeAssetIsNamedWithItsLineAndColumn) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.AddSigningKey();
  std::string manifest = project.Read("wasmship.yaml");
  project.Write("wasmship.yaml", manifest + "profiles:\n  release: { preinit: true, preinit_fetch: [catalog.json, menu.json] }\n");
  int line = 1 + static_cast<int>(std::count(manifest.begin(), manifest.end(), '\n')) + 1;
  RunResult build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  EXPECT_EQ(build.exit_code, 2) << build.err;  // a configuration error
  ExpectContains(build.err, "wasmship.yaml:" + std::to_string(line) + ":59");
  ExpectContains(build.err, "preinit_fetch: 'menu.json' matches no file in the assets directory");
  EXPECT_FALSE(project.Exists("dist/catalog-base-128m-release.wasm"));

  project.Write("wasmship.yaml", manifest + "profiles:\n  release: { preinit_fetch: [catalog.json] }\n");
  build = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  EXPECT_NE(build.exit_code, 0);
  ExpectContains(build.err, "profiles.release.preinit_fetch needs `preinit: true` in the same profile");
}

// Start-up that must happen on the device ends pre-initialization: the build
// says which call, where and what ships, and the app still runs.
TEST(PreinitTest, AClockReadInAConstructorIsNamedAndTheAppStillRuns) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: early, version: 0.1.0 }\nsources: [src/*.cpp]\n"
                                 "profiles: { debug: { preinit: true } }\n");
  project.Write("src/main.cpp", "#include <chrono>\n"
                                "#include <wasmship/ui.hpp>\n"
                                "const auto kStarted = std::chrono::steady_clock::now();\n"
                                "UI_COMPOSABLE ws::View Root() { return ws::Text({.text = \"early\"}); }\n"
                                "UI_APP(Root)\n");
  RunResult build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ExpectContains(build.err, "pre-initialization stopped at a call to wasi_snapshot_preview1.clock_time_get in _initialize");
  ExpectContains(build.err, "the clock must be the device's");
  ExpectContains(build.err, "called from ");
  ExpectContains(build.err, "the module ships without a snapshot");
  RunResult run = project.Wasmship({"run", "--frames", "2"});
  EXPECT_EQ(run.exit_code, 0) << run.err;

  // printf in the root's build: the constructors' snapshot ships.
  project.Write("src/main.cpp", MinimalAppSource("hello"));
  build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ExpectContains(build.err, "pre-initialization stopped at a call to wasi_snapshot_preview1.fd_write in ws_preinit");
  ExpectContains(build.err, "the module starts from the state after _initialize");
  run = project.Wasmship({"run", "--frames", "2"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, "hello");
}

}  // namespace
}  // namespace ws::e2e
