// Per-device variants: a matrix reduces to its distinct variants, each built
// once and validated against its features; `matrix` explains the mapping;
// `run` refuses a module the device cannot run; builds are reproducible.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Seven devices, three tuples: engines and cores do not split a variant.
constexpr const char* kSevenDevices = R"(devices:
  tv-a:  { memory: 128MiB, engine: interp, host_abi: 1 }
  tv-b:  { memory: 128MiB, engine: interp, host_abi: 1, cores: 2 }
  tv-c:  { memory: 128MiB, engine: aot, host_abi: 1 }
  box-a: { simd: true, memory: 256MiB, engine: interp, host_abi: 1 }
  box-b: { simd: true, memory: 256MiB, engine: aot, host_abi: 1 }
  con-a: { simd: true, threads: true, cores: 8, memory: 512MiB, engine: aot, host_abi: 1 }
  con-b: { simd: true, threads: true, cores: 4, memory: 512MiB, engine: interp, host_abi: 1 }
)";

TEST(VariantsTest, SevenDevicesBuildThreeModulesAndMapAllSeven) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("devices.yaml", kSevenDevices);
  RunResult build = project.Wasmship({"build", "--all-devices"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(project.FilesIn("dist/debug", ".wasm"), (std::vector<std::string>{"hello-base-128m-debug.wasm", "hello-simd-256m-debug.wasm",
                                                        "hello-simd-threads-512m-debug.wasm"}));
  json report = json::parse(project.Read("dist/debug/report.json"));
  ASSERT_EQ(report["variants"].size(), 3u);
  std::multiset<std::string> mapped;
  for (const json& variant : report["variants"]) {
    for (const json& device : variant["devices"]) mapped.insert(device.get<std::string>());
    EXPECT_TRUE(project.Exists("dist/debug/symbols/" + variant["name"].get<std::string>() + ".map.json"));
    EXPECT_FALSE(variant["passes"].empty());
  }
  EXPECT_EQ(mapped, (std::multiset<std::string>{"tv-a", "tv-b", "tv-c", "box-a", "box-b", "con-a", "con-b"}));
  EXPECT_EQ(report["variants"][2]["features"], json({"simd", "threads", "bulk_memory", "sign_ext", "mutable_globals"}));

  // --device builds only that device's variant; nothing is rebuilt.
  RunResult one = project.Wasmship({"build", "--device", "box-b", "--format", "json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["status"], "ok") << one.out;
  EXPECT_EQ(json::parse(project.Read("dist/debug/report.json"))["variants"].size(), 1u);

  // The SIMD module is refused by a device without SIMD and runs on one with it.
  RunResult refused = project.Wasmship({"run", "--device", "tv-a", "--bundle", "dist/debug/hello-simd-256m-debug.wasm"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  ExpectContains(refused.err, "device 'tv-a' cannot run this module");
  ExpectContains(refused.err, "SIMD");
  ExpectContains(refused.err, "wasmship build --device tv-a");
  RunResult fits = project.Wasmship({"run", "--device", "box-a", "--bundle", "dist/debug/hello-simd-256m-debug.wasm"});
  EXPECT_EQ(fits.exit_code, 0) << fits.err;
  ExpectContains(fits.out, "Hello, living room!");
}

TEST(VariantsTest, MatrixListsDevicesAndExplainsOne) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("devices.yaml", kSevenDevices);
  RunResult table = project.Wasmship({"matrix"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  ExpectContains(table.out, "7 devices, 3 variants (profile debug)");
  size_t row = table.out.find("\nbox-b ");
  ASSERT_NE(row, std::string::npos) << table.out;
  std::string line = table.out.substr(row + 1, table.out.find('\n', row + 1) - row - 1);
  ExpectContains(line, "simd, sign_ext, mutable_globals");
  ExpectContains(line, "256 MiB");
  ExpectContains(line, "simd-256m-debug");
  RunResult explain = project.Wasmship({"matrix", "--explain", "con-b", "-p", "release"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  // Under release's optimize: auto the engine splits con-a (aot) from con-b
  // (interp): the interp one keeps the plain name and gets the speed pipeline.
  ExpectContains(explain.out, "con-b gets variant simd-threads-512m-release");
  ExpectContains(explain.out, "max memory: 512 MiB");
  ExpectContains(explain.out, "speed pipeline: optimize: auto, and con-b's engine is interp");
  ExpectContains(explain.out, "no other device shares this variant");
  RunResult aot = project.Wasmship({"matrix", "--explain", "con-a", "-p", "release"});
  ASSERT_EQ(aot.exit_code, 0) << aot.err;
  ExpectContains(aot.out, "con-a gets variant simd-threads-512m-size-release");
  ExpectContains(aot.out, "size pipeline: optimize: auto, and con-a's engine is aot");
  RunResult debug = project.Wasmship({"matrix", "--explain", "con-b"});
  ExpectContains(debug.out, "debug pipeline: checks only");
  ExpectContains(debug.out, "shared with: con-a");
  RunResult unknown = project.Wasmship({"matrix", "--explain", "con-c"});
  EXPECT_EQ(unknown.exit_code, 2);
  ExpectContains(unknown.err, "unknown device 'con-c'; did you mean");
}

TEST(VariantsTest, SimdLeakingIntoABaselineBuildFailsNamingTheFunction) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("src/greeting.cpp", R"(#include "greeting.h"
#include <wasm_simd128.h>

// Hand-vectorized, but without the __wasm_simd128__ guard.
__attribute__((target("simd128"))) int SumLanes(int a, int b) {
  v128_t v = wasm_i32x4_add(wasm_i32x4_make(a, b, a, b), wasm_i32x4_splat(1));
  return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1);
}

std::string Greeting(const std::string& who) { return "Hello, " + who + std::to_string(SumLanes(1, 2)); }
)");
  RunResult build = project.Wasmship({"build", "--device", "tv-2019"});
  EXPECT_EQ(build.exit_code, 1) << build.err;
  ExpectContains(build.err, "variant base-128m-debug: function SumLanes(int, int) uses SIMD instructions");
  ExpectContains(build.err, "__wasm_simd128__");
  EXPECT_FALSE(project.Exists("dist/debug/hello-base-128m-debug.wasm"));
}

// Two checkouts at different paths, each with its own cold cache, build the
// same bytes: no paths, times or hash-map orders leak into a module, and the
// same key and SOURCE_DATE_EPOCH give the same bundles and index.
TEST(VariantsTest, SameInputsBuildByteIdenticalModulesAndBundles) {
  ProjectSandbox project;
  project.UsePrivateCache();
  project.CopyExample("hello");
  project.AddSigningKey();
  for (const char* checkout : {"a", "b/deeper"}) {
    fs::create_directories(project.Path(checkout));
    for (const char* part : {"wasmship.yaml", "devices.yaml", "src", "keys"}) {
      fs::copy(project.Path(part), project.Path(std::string(checkout) + "/" + part), fs::copy_options::recursive);
    }
    RunResult build = project.Wasmship({"build", "--device", "tv-2019", "-p", "release"},
                                       {"SOURCE_DATE_EPOCH=1700000000",
                                        "WASMSHIP_CACHE_DIR=" + project.Path(std::string(checkout) + "/.cache")},
                                       checkout);
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  for (const char* file : {"dist/hello-base-128m-release.wasm", "dist/symbols/base-128m-release.map.json",
                           "dist/bundles/hello-0.1.0-base-128m-release.wsb", "dist/index.json"}) {
    EXPECT_EQ(project.Read(std::string("a/") + file), project.Read(std::string("b/deeper/") + file)) << file;
  }
}

}  // namespace
}  // namespace ws::e2e
