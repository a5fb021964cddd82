// The action cache end to end (docs/cache.md): the real wasmship on copies
// of examples/catalog, each test with a cache of its own (the user-level
// default in the test's XDG_CACHE_HOME, or WASMSHIP_CACHE_DIR).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kSteps[] = {"expand", "pch", "compile", "link", "optimize", "bundle", "aot"};

json Stats(const ProjectSandbox& project, const std::vector<std::string>& env, const std::string& cwd = "") {
  RunResult stats = project.Wasmship({"cache", "stats", "--format", "json"}, env, cwd);
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  return json::parse(stats.out, nullptr, false);
}

uint64_t Count(const json& stats, const char* step, const char* what) { return stats["steps"][step][what]; }

// Directories of the sandbox that are not the project's sources.
const char* const kNotSources[] = {".wasmship", "dist", "cache", "xdg", "first", "elsewhere", "third"};

// A copy of the project's sources (not its build state or outputs) at `to`.
void Clone(const ProjectSandbox& project, const std::string& to) {
  fs::create_directories(project.Path(to));
  for (const auto& entry : fs::directory_iterator(project.dir())) {
    std::string name = entry.path().filename().string();
    if (std::find(std::begin(kNotSources), std::end(kNotSources), name) != std::end(kNotSources)) continue;
    fs::copy(entry.path(), project.Path(to + "/" + name), fs::copy_options::recursive);
  }
}

// Starts a cache of the test's own at `dir` with a copy of what the test
// run's shared cache holds (the runtime's objects, when another test built
// them): this test's statistics and access times are its own, and the
// runtime need not compile again.
void SeedCache(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir);
  for (const char* area : {"ac", "cas"}) {
    fs::copy(SharedCacheDir() + "/" + area, dir + "/" + area, fs::copy_options::recursive, ec);
  }
}

std::string Sha256Of(const ProjectSandbox& project, const std::string& path) {
  RunResult sum = RunCommand({"sha256sum", path}, project.dir());
  return sum.out.substr(0, 64);
}

// A fresh clone elsewhere with the cache warm runs no clang, wasm-ld or
// Binaryen and ships the same signed bundle; a damaged blob is found,
// reported and rebuilt; gc to a small cap keeps what was used last.
TEST(CacheTest, FreshCloneWithWarmCacheRunsNoToolsAndShipsIdenticalBundles) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.AddSigningKey();
  std::vector<std::string> env = {"WASMSHIP_CACHE_DIR=" + project.Path("cache")};
  SeedCache(project.Path("cache"));
  Clone(project, "first");
  RunResult cold = project.Wasmship({"build", "--device", "tv-2019"}, env, "first");
  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  EXPECT_FALSE(ToolSteps(cold).empty());
  json before = Stats(project, env);

  Clone(project, "elsewhere/second");
  RunResult warm = project.Wasmship({"build", "--device", "tv-2019"}, env, "elsewhere/second");
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_EQ(ToolSteps(warm), std::vector<std::string>{}) << warm.out << warm.err;
  json after = Stats(project, env);
  for (const char* step : kSteps) {
    EXPECT_EQ(Count(after, step, "misses"), Count(before, step, "misses")) << step;
  }
  for (const char* step : {"pch", "link", "optimize", "bundle"}) {
    EXPECT_EQ(Count(after, step, "hits"), Count(before, step, "hits") + 1) << step;
  }
  EXPECT_GT(Count(after, "compile", "hits"), Count(before, "compile", "hits") + 20);
  std::vector<std::string> bundles = project.FilesIn("first/dist/debug/bundles", ".wsb");
  ASSERT_EQ(bundles.size(), 1u);
  std::string bundle = "dist/debug/bundles/" + bundles[0];
  EXPECT_EQ(project.Read("first/" + bundle), project.Read("elsewhere/second/" + bundle));
  // Reports name the clone's own files, not the first's.
  EXPECT_EQ(project.Read("elsewhere/second/dist/debug/report.json").find(project.Path("first")), std::string::npos);

  // Damage the cached bundle: the next clone finds it, says so, bundles again.
  std::string sha = Sha256Of(project, "first/" + bundle);
  std::string blob = "cache/cas/" + sha.substr(0, 2) + "/" + sha;
  ASSERT_TRUE(project.Exists(blob));
  std::string bytes = project.Read(blob);
  bytes[bytes.size() / 2] ^= 0x5a;
  project.Write(blob, bytes);
  Clone(project, "third");
  RunResult repaired = project.Wasmship({"build", "--device", "tv-2019"}, env, "third");
  ASSERT_EQ(repaired.exit_code, 0) << repaired.err;
  ExpectContains(repaired.err, "was damaged");
  EXPECT_EQ(ToolSteps(repaired).size(), 1u) << repaired.out << repaired.err;  // the bundle step alone
  EXPECT_EQ(project.Read("third/" + bundle), project.Read("first/" + bundle));
  EXPECT_EQ(Stats(project, env)["corrupt"], 1);
  EXPECT_EQ(Sha256Of(project, blob), sha);  // stored again, whole

  // Trimmed to a small cap, the cache keeps what the last build used.
  RunResult gc = project.Wasmship({"cache", "gc", "--max-size", "2MiB"}, env);
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  json trimmed = Stats(project, env);
  EXPECT_LE(trimmed["bytes"].get<uint64_t>(), 2u << 20);
  EXPECT_GT(trimmed["evictions"].get<uint64_t>(), 0u);
  EXPECT_TRUE(project.Exists(blob));
  RunResult clear = project.Wasmship({"cache", "clear"}, env);
  ASSERT_EQ(clear.exit_code, 0) << clear.err;
  EXPECT_EQ(Stats(project, env)["bytes"], 0);
}

// The cache is the user's by default: a second app, new, reuses the
// runtime's objects and precompiled header that the first app built.
TEST(CacheTest, SecondAppReusesTheRuntimeFromTheUserCache) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  // No WASMSHIP_CACHE_DIR: the user default, under this test's XDG_CACHE_HOME.
  std::vector<std::string> env = {"WASMSHIP_CACHE_DIR=", "XDG_CACHE_HOME=" + project.Path("xdg")};
  SeedCache(project.Path("xdg/wasmship"));
  RunResult first = project.Wasmship({"build", "--device", "tv-2019"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json before = Stats(project, env);
  EXPECT_EQ(before["dir"], project.Path("xdg/wasmship"));
  EXPECT_EQ(before["dir_from"], "the user cache");

  RunResult made = project.Wasmship({"new", "second"}, env);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  RunResult second = project.Wasmship({"build", "--device", "tv-2019"}, env, "second");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json after = Stats(project, env, "second");
  EXPECT_EQ(Count(after, "pch", "hits"), Count(before, "pch", "hits") + 1);
  json report = json::parse(project.Read("second/dist/debug/report.json"));
  int runtime_units = 0;
  for (const json& unit : report["cache"]["units"]) {
    if (unit["source"].get<std::string>().rfind("wasmship-runtime/", 0) != 0) continue;
    ++runtime_units;
    EXPECT_EQ(unit["status"], "hit") << unit["source"];
  }
  EXPECT_GT(runtime_units, 10);
  EXPECT_GE(Count(after, "compile", "hits"), Count(before, "compile", "hits") + runtime_units);
  EXPECT_FALSE(project.Exists(".wasmship/cache"));
}

// A cache directory that cannot be written is a warning, never a failure.
TEST(CacheTest, UnwritableCacheDirWarnsOnceAndBuilds) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("not-a-dir", "a file where the cache should be\n");
  RunResult build = project.Wasmship({"build"}, {"WASMSHIP_CACHE_DIR=" + project.Path("not-a-dir/cache")});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ExpectContains(build.err, "without caching");
  EXPECT_EQ(build.err.find("without caching"), build.err.rfind("without caching")) << build.err;
  EXPECT_FALSE(project.FilesIn("dist/debug/bundles", ".wsb").empty());
}

// Bad cache settings name wasmship.yaml's line and column.
TEST(CacheTest, BadCacheSettingsAreReportedWithTheirPlace) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") + "cache: { max_size: huge, remote: 'ftp://x' }\n");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 2);
  ExpectContains(build.err, "wasmship.yaml:");
  ExpectContains(build.err, "cache.max_size is not a size");
  ExpectContains(build.err, "cache.remote is not an http(s) URL");
  RunResult bad_env = project.Wasmship({"cache", "stats"}, {"WASMSHIP_REMOTE_CACHE_READ_ONLY=perhaps"});
  EXPECT_NE(bad_env.exit_code, 0);
}

}  // namespace
}  // namespace ws::e2e
