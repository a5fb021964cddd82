// wasmship run: apps run headless as on a device; golden screenshots of
// catalog on both engines; every bad input of the runtime issue.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void CopyApp(ProjectSandbox& project, const std::string& app) {
  fs::copy(SourcePath("tests/e2e/apps/" + app), project.dir(), fs::copy_options::recursive);
  for (const auto& f : fs::directory_iterator(project.Path("src"))) {
    std::string path = "src/" + f.path().filename().string();
    project.Write(path, project.Read(path));  // marks the sources with the test's name
  }
}

// Builds a module from WAT text with wabt's wat2wasm; returns its path.
std::string Wat(const ProjectSandbox& project, const std::string& name) {
  std::string out = project.Path(name + ".wasm");
  RunResult r = RunCommand({"wat2wasm", SourcePath("tests/e2e/data/" + name + ".wat"), "-o", out}, project.dir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

const char* kShots[] = {"1-profiles", "2-shelves", "3-moved", "4-details", "5-back"};

// Runs the golden script on catalog with `engine`; returns the run's report.
json RunGoldenScript(ProjectSandbox& project, const std::string& engine, const std::string& shots) {
  fs::remove_all(project.Path("shots"));
  RunResult run = project.Wasmship(
      {"run", "--engine", engine, "--script", SourcePath("tests/golden/catalog/script.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  fs::rename(project.Path("shots"), project.Path(shots));
  return json::parse(run.out);
}

TEST(RunTest, CatalogMatchesGoldenScreenshotsOnBothEngines) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  json interp = RunGoldenScript(project, "interp", "interp");
  json aot = RunGoldenScript(project, "aot", "aot");
  EXPECT_EQ(interp["engine"], "interp");
  EXPECT_EQ(aot["engine"], "aot");
  EXPECT_EQ(interp["traps"].size(), 0u);
  bool update = std::getenv("WASMSHIP_UPDATE_GOLDENS") != nullptr;
  for (const char* shot : kShots) {
    std::string name = std::string(shot) + ".png";
    std::string golden = SourcePath("tests/golden/catalog/" + name);
    if (update) fs::copy_file(project.Path("interp/" + name), golden, fs::copy_options::overwrite_existing);
    // Same module, same input: the two engines draw the same bytes.
    EXPECT_EQ(project.Read("interp/" + name), project.Read("aot/" + name)) << name;
    EXPECT_EQ(project.Read("interp/" + name), project.Read(fs::relative(golden, project.dir()).string()))
        << name << " differs from its golden; to accept it: WASMSHIP_UPDATE_GOLDENS=1 and rerun";
  }
  // Back returned to the tile the details page was opened from.
  EXPECT_EQ(project.Read("interp/3-moved.png"), project.Read("interp/5-back.png"));
}

// The ps5's variant (SIMD and threads) under interp: workers really run,
// and the screens are the baseline's, byte for byte.
TEST(RunTest, SimdThreadsVariantDrawsTheGoldenScreens) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult run = project.Wasmship({"run", "--device", "ps5", "--engine", "interp", "--script",
                                    SourcePath("tests/golden/catalog/script.yaml"), "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(project.Exists("dist/debug/catalog-simd-threads-512m-debug.wasm"));
  json report = json::parse(run.out);
  EXPECT_GT(report["workers"].get<int>(), 0);
  EXPECT_EQ(report["traps"].size(), 0u);
  for (const char* shot : kShots) {
    std::string name = std::string(shot) + ".png";
    std::string golden = fs::relative(SourcePath("tests/golden/catalog/" + name), project.dir()).string();
    EXPECT_EQ(project.Read("shots/" + name), project.Read(golden)) << name;
  }
}

// What ships: the release pipeline (LTO, Binaryen's size rounds with the low
// 1 KiB assumed unused, our passes, strip) changes no pixel, and the signed
// bundle is what runs.
TEST(RunTest, ReleaseBuildDrawsTheGoldenScreens) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.AddSigningKey();
  RunResult run = project.Wasmship({"run", "-p", "release", "--device", "tv-2019", "--engine", "interp", "--script",
                                    SourcePath("tests/golden/catalog/script.yaml"), "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(project.Exists("dist/bundles/catalog-1.4.0-base-128m-release.wsb"));
  EXPECT_EQ(json::parse(run.out)["traps"].size(), 0u);
  for (const char* shot : kShots) {
    std::string name = std::string(shot) + ".png";
    std::string golden = fs::relative(SourcePath("tests/golden/catalog/" + name), project.dir()).string();
    EXPECT_EQ(project.Read("shots/" + name), project.Read(golden)) << name;
  }
}

TEST(RunTest, ReportsFramesLatencyMemoryAndInstructions) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult run = project.Wasmship({"run", "--keys", "select,down,right,right", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json report = json::parse(run.out);
  EXPECT_GT(report["frames"].get<int>(), 10);
  EXPECT_GT(report["draw_lists"].get<int>(), 5);
  EXPECT_EQ(report["input_latency_ms"]["samples"], 4);
  EXPECT_GT(report["frame_ms"]["p99"].get<double>(), 0);
  EXPECT_GT(report["peak_memory_bytes"].get<uint64_t>(), 64u * 1024);
  EXPECT_GT(report["instructions_per_frame"]["max"].get<double>(), 1000);
  RunResult text = project.Wasmship({"run", "--keys", "right"});
  ExpectContains(text.err, "input latency");
  ExpectContains(text.err, "instructions/frame");
}

TEST(RunTest, ModuleWithoutTheWsExportsSaysWhich) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: x, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  RunResult r = project.Wasmship({"run", "--bundle", Wat(project, "no_exports")});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "is not a wasmship app: it missing export _initialize");
  ExpectContains(r.err, "missing export ws_frame (f64) -> i32");
}

TEST(RunTest, AbiVersionMismatch) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: x, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  RunResult r = project.Wasmship({"run", "--bundle", Wat(project, "abi_v2")});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "the app speaks host ABI version 2, this host speaks 1");
}

TEST(RunTest, ForbiddenImportIsNamed) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: x, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  RunResult r = project.Wasmship({"run", "--bundle", Wat(project, "forbidden_import")});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "imports wasi_snapshot_preview1.path_open, which the host ABI does not allow");
}

TEST(RunTest, TrappingAppIsRestartedAndKeepsHandlingKeys) {
  ProjectSandbox project;
  CopyApp(project, "misbehaving");
  RunResult r = project.Wasmship({"run", "--keys", "select,right", "--format", "json"});
  EXPECT_EQ(r.exit_code, 4);
  ExpectContains(r.err, "the app trapped in ws_frame");
  ExpectContains(r.err, "unreachable");
  ExpectContains(r.err, "CrashOnSelect()");
  ExpectContains(r.err, "restarting the app");
  ExpectContains(r.err, "focus b");  // the key after the trap reached the new instance
  json report = json::parse(r.out);
  EXPECT_EQ(report["restarts"], 1);
  EXPECT_EQ(report["traps"][0]["kind"], "unreachable");
  ExpectContains(report["traps"][0]["stack"][0].get<std::string>(), "CrashOnSelect()");
}

TEST(RunTest, InfiniteLoopIsStoppedByTheWatchdog) {
  ProjectSandbox project;
  CopyApp(project, "misbehaving");
  for (const char* engine : {"interp", "aot"}) {
    RunResult r = project.Wasmship({"run", "--engine", engine, "--keys", "right,select", "--format", "json"},
                                   {"WASMSHIP_WATCHDOG_MS=300"});
    EXPECT_EQ(r.exit_code, 4) << engine;
    ExpectContains(r.err, "watchdog");
    json report = json::parse(r.out);
    EXPECT_EQ(report["traps"][0]["kind"], "watchdog") << engine;
  }
}

TEST(RunTest, MemoryBeyondTheDeviceLimitTraps) {
  ProjectSandbox project;
  CopyApp(project, "misbehaving");
  RunResult r = project.Wasmship({"run", "--device", "tiny", "--keys", "right,right,select", "--format", "json"});
  EXPECT_EQ(r.exit_code, 4);
  json report = json::parse(r.out);
  ASSERT_EQ(report["traps"].size(), 1u);
  EXPECT_EQ(report["traps"][0]["kind"], "memory-limit");
  EXPECT_LE(report["peak_memory_bytes"].get<uint64_t>(), 8u << 20);
  EXPECT_EQ(r.err.find("allocated 64 blocks"), std::string::npos);
}

TEST(RunTest, MissingAndCorruptImagesShowPlaceholders) {
  ProjectSandbox project;
  CopyApp(project, "assets");
  RunResult r = project.Wasmship({"run", "--screenshot", "shot.png"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ExpectContains(r.err, "warning: fetch of 'missing.png'");
  ExpectContains(r.err, "warning: image 'corrupt.png' cannot be decoded");
  EXPECT_TRUE(project.Exists("shot.png"));
}

TEST(RunTest, MalformedKeyScriptHasLineAndColumn) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("keys.yaml", "- key: right\n- key: sideways\n");
  RunResult r = project.Wasmship({"run", "--script", "keys.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "keys.yaml:2:8: error: unknown key 'sideways'");
  RunResult keys = project.Wasmship({"run", "--keys", "right,jump"});
  EXPECT_EQ(keys.exit_code, 2);
  ExpectContains(keys.err, "key 2 'jump' is not a key");
}

TEST(RunTest, UnknownDeviceAndBadSize) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult device = project.Wasmship({"run", "--device", "tv-2091"});
  EXPECT_EQ(device.exit_code, 2);
  ExpectContains(device.err, "unknown device 'tv-2091'; did you mean 'tv-2019'?");
  RunResult size = project.Wasmship({"run", "--size", "big"});
  EXPECT_EQ(size.exit_code, 2);
  ExpectContains(size.err, "--size 'big' is not WIDTHxHEIGHT");
}

}  // namespace
}  // namespace ws::e2e
