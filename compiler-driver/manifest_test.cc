#include "compiler-driver/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "diagnostics/diagnostic_printer.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("ws_manifest_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src");
    fs::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "devices.yaml") << "devices: {}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::optional<Manifest> Load(const std::string& text) {
    std::ofstream(dir_ / "wasmship.yaml") << text;
    return LoadManifest((dir_ / "wasmship.yaml").string(), sink_);
  }
  std::string Messages() {
    std::string all;
    for (const Diagnostic& d : sink_.diagnostics()) all += FormatDiagnostic(d);
    return all;
  }

  fs::path dir_;
  DiagnosticSink sink_;
};

TEST_F(ManifestTest, LoadsFullManifest) {
  auto m = Load(R"(
app: { name: catalog, version: 1.4.0 }
sources: [src/*.cpp]
include: [src]
devices: devices.yaml
profiles:
  release: { opt: Oz, lto: true, strip: true }
  debug:   { opt: O0, cflags: [-DDEBUG=1] }
budgets:
  default: { bundle: 400KiB, growth: 2% }
  stick-lite: { bundle: 250KiB, components: { runtime: 100KiB } }
signing: { key: keys/release.key }
assets: assets/
build: { launcher: ccache }
)");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->app_name, "catalog");
  EXPECT_EQ(m->app_version, "1.4.0");
  EXPECT_EQ(m->sources.at(0).pattern, "src/*.cpp");
  EXPECT_EQ(m->sources.at(0).span.line, 3u);
  EXPECT_EQ(m->profiles.at("debug").opt, "O0");
  EXPECT_EQ(m->profiles.at("debug").cflags, std::vector<std::string>{"-DDEBUG=1"});
  EXPECT_TRUE(m->profiles.at("release").lto);
  EXPECT_EQ(m->budgets.at("default").bundle->bytes, 400u * 1024);
  EXPECT_EQ(m->budgets.at("default").growth->percent, 2.0);
  EXPECT_EQ(m->budgets.at("stick-lite").components.at("runtime").bytes, 100u * 1024);
  EXPECT_EQ(m->signing_key, "keys/release.key");
  EXPECT_EQ(m->launcher, "ccache");
}

TEST_F(ManifestTest, DefaultProfilesExist) {
  auto m = Load("app: { name: a, version: '1' }\nsources: src/*.cpp\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->profiles.at("debug").opt, "O1");
  EXPECT_EQ(m->profiles.at("release").opt, "Oz");
  EXPECT_TRUE(m->profiles.at("release").strip);
}

TEST_F(ManifestTest, UnknownKeysAreReportedWithSuggestions) {
  auto m = Load("app: { name: a, verison: '1' }\nsorces: [src/*.cpp]\n");
  EXPECT_FALSE(m);
  std::string text = Messages();
  EXPECT_NE(text.find("wasmship.yaml:1:17: error: unknown key 'verison' in app; did you mean 'version'?"),
            std::string::npos) << text;
  EXPECT_NE(text.find("wasmship.yaml:2:1: error: unknown key 'sorces' in wasmship.yaml; did you mean "
                      "'sources'?"), std::string::npos) << text;
}

TEST_F(ManifestTest, MissingSourcesIsAnError) {
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\n"));
  EXPECT_NE(Messages().find("missing required key 'sources'"), std::string::npos);
}

TEST_F(ManifestTest, WrongValueKindsPointAtTheValue) {
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\n"
                    "profiles:\n  release: { opt: O9, lto: maybe }\n"
                    "budgets:\n  default: { bundle: huge }\n"));
  std::string text = Messages();
  EXPECT_NE(text.find(":4:19: error: 'O9' is not a valid profiles.release.opt"), std::string::npos) << text;
  EXPECT_NE(text.find(":4:28: error: profiles.release.lto must be true or false"), std::string::npos) << text;
  EXPECT_NE(text.find(":6:22: error: budgets.default.bundle is not a size: 'huge'"), std::string::npos) << text;
}

TEST_F(ManifestTest, MissingPathsAreErrors) {
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\ninclude: [nope]\n"
                    "devices: nodevices.yaml\n"));
  std::string text = Messages();
  EXPECT_NE(text.find(":3:11: error: include directory 'nope' does not exist"), std::string::npos) << text;
  EXPECT_NE(text.find(":4:10: error: devices: 'nodevices.yaml' does not exist"), std::string::npos) << text;
}

TEST_F(ManifestTest, SourceGlobsLeavingTheProjectAreRefusedAtTheirPlace) {
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp, '../../../etc/*.conf']\n"));
  EXPECT_NE(Messages().find(":2:22: error: source glob '../../../etc/*.conf' leaves the project directory"),
            std::string::npos) << Messages();
  sink_.Take();
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/../../x.cpp]\n"));
  EXPECT_NE(Messages().find(":2:11: error: source glob 'src/../../x.cpp' leaves the project directory"),
            std::string::npos) << Messages();
  sink_.Take();
  EXPECT_TRUE(Load("app: { name: a, version: '1' }\nsources: [src/../src/*.cpp]\n"));
}

TEST_F(ManifestTest, BadAppNameIsRejected) {
  EXPECT_FALSE(Load("app: { name: My App, version: '1' }\nsources: [src/*.cpp]\n"));
  EXPECT_NE(Messages().find("app.name 'My App' must use"), std::string::npos);
}

TEST_F(ManifestTest, FindManifestWalksUp) {
  std::ofstream(dir_ / "wasmship.yaml") << "app: {}\n";
  EXPECT_EQ(FindManifest((dir_ / "src").string()), (dir_ / "wasmship.yaml").string());
}

TEST_F(ManifestTest, BundleCompressionAndBudgetsLoad) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  auto m = Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
profiles:
  debug: { zstd_level: 9, zstd_long: true }
budgets:
  default: { bundle: 400KiB, growth: 2%, frame_traps: 0, components: { libc++: 20KiB } }
)");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->profiles["debug"].zstd_level, 9);
  EXPECT_TRUE(m->profiles["debug"].zstd_long);
  EXPECT_EQ(m->profiles["release"].zstd_level, 19);  // the default a release ships with
  const Budget& b = m->budgets["default"];
  EXPECT_EQ(b.bundle->bytes, 400u * 1024);
  EXPECT_EQ(*b.growth->percent, 2.0);
  EXPECT_EQ(*b.frame_traps, 0u);
  EXPECT_EQ(b.components.at("libc++").bytes, 20u * 1024);
}

TEST_F(ManifestTest, BadBundleAndBudgetValuesPointAtThem) {
  EXPECT_FALSE(Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
profiles:
  release: { zstd_level: 40 }
budgets:
  default: { bundle: big, growth: lots%, components: { stdlib: 1KiB } }
)"));
  std::string text = Messages();
  EXPECT_NE(text.find(":4:26: error: profiles.release.zstd_level"), std::string::npos) << text;
  EXPECT_NE(text.find(":6:22: error: budgets.default.bundle is not a size: 'big'"), std::string::npos) << text;
  EXPECT_NE(text.find("budgets.default.growth is not a percentage: 'lots%'"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown component 'stdlib' in budgets.default.components"), std::string::npos) << text;
}

TEST_F(ManifestTest, PerformanceBudgetsLoadWithTheirScript) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  std::ofstream(dir_ / "perf.yaml") << "- key: right\n";
  auto m = Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
perf_script: perf.yaml
profiles:
  release: { strict: true }
budgets:
  default: { startup_instructions: 5000000, frame_instructions_p99: 900000, input_instructions_p99: 1200000 }
  box: { startup_ms: 80, frame_ms_p99: 16.5ms, input_ms_p99: "40" }
)");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->perf_script, "perf.yaml");
  EXPECT_EQ(m->perf_script_span.line, 3u);
  EXPECT_TRUE(m->profiles["release"].strict);
  EXPECT_FALSE(m->profiles["debug"].strict);
  const Budget& d = m->budgets["default"];
  EXPECT_EQ(*d.startup_instructions, 5000000u);
  EXPECT_EQ(*d.frame_instructions_p99, 900000u);
  EXPECT_EQ(*d.input_instructions_p99, 1200000u);
  EXPECT_TRUE(d.HasInstructionBudgets());
  EXPECT_FALSE(d.HasTimeBudgets());
  const Budget& box = m->budgets["box"];
  EXPECT_EQ(*box.startup_ms, 80.0);
  EXPECT_EQ(*box.frame_ms_p99, 16.5);
  EXPECT_EQ(*box.input_ms_p99, 40.0);
}

TEST_F(ManifestTest, BadPerformanceBudgetsPointAtThem) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  EXPECT_FALSE(Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
budgets:
  default: { startup_instructons: 5, frame_ms_p99: fast, startup_instructions: -3 }
)"));
  std::string text = Messages();
  EXPECT_NE(text.find(":4:14: error: unknown key 'startup_instructons' in budgets.default; did you mean "
                      "'startup_instructions'?"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("budgets.default.frame_ms_p99 is not a time in milliseconds: 'fast'"), std::string::npos) << text;
  EXPECT_NE(text.find("budgets.default.startup_instructions must be a whole number"), std::string::npos) << text;

  sink_ = DiagnosticSink();
  EXPECT_FALSE(Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
budgets:
  default: { startup_instructions: 5000000 }
)"));
  text = Messages();
  EXPECT_NE(text.find(":4:12: error: budgets.default has performance budgets but the manifest names no perf_script"),
            std::string::npos)
      << text;

  sink_ = DiagnosticSink();
  EXPECT_FALSE(Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
perf_script: missing.yaml
budgets:
  default: { startup_instructions: 5000000 }
)"));
  text = Messages();
  EXPECT_NE(text.find(":3:14: error: perf_script: 'missing.yaml' does not exist"), std::string::npos) << text;
}

TEST_F(ManifestTest, UnknownProfileSuggests) {
  auto m = Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(FindProfile(*m, "relase", sink_), nullptr);
  EXPECT_NE(Messages().find("unknown profile 'relase'; did you mean 'release'?"), std::string::npos);
}

TEST_F(ManifestTest, StepTimeoutIsADuration) {
  auto m = Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nbuild: { step_timeout: 90s }\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->step_timeout_s, 90.0);
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nbuild: { step_timeout: soon }\n"));
  EXPECT_NE(Messages().find("wasmship.yaml:3:24: error: build.step_timeout is not a duration: 'soon'"),
            std::string::npos)
      << Messages();
}

TEST_F(ManifestTest, HotReloadIsOnForDebugOnly) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  auto m = Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
profiles:
  staging: { opt: O2 }
  qa: { hot_reload: true }
)");
  ASSERT_TRUE(m) << Messages();
  EXPECT_TRUE(m->profiles["debug"].hot_reload);
  EXPECT_FALSE(m->profiles["release"].hot_reload);
  EXPECT_FALSE(m->profiles["staging"].hot_reload);  // a new profile: off unless set
  EXPECT_TRUE(m->profiles["qa"].hot_reload);
  auto off = Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nprofiles: { debug: { hot_reload: false } }\n");
  ASSERT_TRUE(off) << Messages();
  EXPECT_FALSE(off->profiles["debug"].hot_reload);
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nprofiles: { debug: { hot_reload: yes please } }\n"));
  EXPECT_NE(Messages().find("profiles.debug.hot_reload must be true or false"), std::string::npos) << Messages();
}

TEST_F(ManifestTest, PreinitIsOffUnlessAProfileSaysSo) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  auto m = Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nprofiles: { release: { preinit: true } }\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_TRUE(m->profiles["release"].preinit);
  EXPECT_FALSE(m->profiles["debug"].preinit);
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nprofiles: { release: { preinit: 1280x720 } }\n"));
  EXPECT_NE(Messages().find("profiles.release.preinit must be true or false"), std::string::npos) << Messages();
}

TEST_F(ManifestTest, PreinitFetchNeedsPreinitAndAnAssetsDirectory) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  const std::string head = "app: { name: a, version: '1' }\nsources: [src/*.cpp]\n";
  auto m = Load(head + "assets: assets\nprofiles: { release: { preinit: true, preinit_fetch: [catalog.json, 'data/*.json'] } }\n");
  ASSERT_TRUE(m) << Messages();
  ASSERT_EQ(m->profiles["release"].preinit_fetch.size(), 2u);
  EXPECT_EQ(m->profiles["release"].preinit_fetch[1].pattern, "data/*.json");
  EXPECT_EQ(m->profiles["release"].preinit_fetch[1].span.line, 4u);
  EXPECT_TRUE(m->profiles["debug"].preinit_fetch.empty());

  EXPECT_FALSE(Load(head + "assets: assets\nprofiles: { release: { preinit_fetch: [catalog.json] } }\n"));
  EXPECT_NE(Messages().find("profiles.release.preinit_fetch needs `preinit: true` in the same profile"),
            std::string::npos) << Messages();
  EXPECT_FALSE(Load(head + "profiles: { release: { preinit: true, preinit_fetch: [catalog.json] } }\n"));
  EXPECT_NE(Messages().find("lists assets but the manifest has no `assets:` directory"), std::string::npos) << Messages();
  EXPECT_FALSE(Load(head + "assets: assets\nprofiles: { release: { preinit: true, preinit_fetch: [../secret.json] } }\n"));
  EXPECT_NE(Messages().find("'../secret.json' must be a path or glob inside the assets directory"), std::string::npos)
      << Messages();
}

TEST_F(ManifestTest, ReleaseOptimizesByEngineUnlessTold) {
  std::ofstream(dir_ / "src" / "a.cpp") << "";
  auto m = Load(R"(app: { name: a, version: 1.0.0 }
sources: [src/*.cpp]
profiles:
  small: { optimize: size }
  fast: { optimize: speed }
  either: { optimize: auto }
)");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->profiles["release"].optimize, "auto");
  EXPECT_EQ(m->profiles["debug"].optimize, "none");
  EXPECT_EQ(m->profiles["small"].optimize, "size");
  EXPECT_EQ(m->profiles["fast"].optimize, "speed");
  EXPECT_EQ(m->profiles["either"].optimize, "auto");
  EXPECT_FALSE(Load("app: { name: a, version: '1' }\nsources: [src/*.cpp]\nprofiles: { release: { optimize: fastest } }\n"));
  EXPECT_NE(Messages().find("auto"), std::string::npos) << Messages();
}

}  // namespace
}  // namespace ws

namespace ws {
namespace {

class ManifestCacheTest : public ManifestTest {};

TEST_F(ManifestCacheTest, ReadsTheWholeCacheMap) {
  std::optional<Manifest> m = Load(
      "app: { name: a, version: 1.0.0 }\nsources: [src/*.cc]\n"
      "cache: { dir: .cache/ws, max_size: 500MB, remote: 'http://127.0.0.1:9090/ws', remote_read_only: true }\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(*m->cache.dir, (dir_ / ".cache/ws").string());
  EXPECT_EQ(*m->cache.max_size, 500000000u);
  EXPECT_EQ(*m->cache.remote, "http://127.0.0.1:9090/ws");
  EXPECT_TRUE(*m->cache.remote_read_only);
}

TEST_F(ManifestCacheTest, BadCacheSettingsNameTheirLine) {
  EXPECT_FALSE(Load("app: { name: a, version: 1.0.0 }\nsources: [src/*.cc]\n"
                    "cache:\n  max_size: lots\n  remote: ftp://x\n  remote_read_only: maybe\n  dirr: x\n"));
  std::string messages = Messages();
  EXPECT_NE(messages.find("wasmship.yaml:4:13"), std::string::npos) << messages;
  EXPECT_NE(messages.find("wasmship.yaml:5:11: error: cache.remote is not an http(s) URL"), std::string::npos)
      << messages;
  EXPECT_NE(messages.find("wasmship.yaml:6:21"), std::string::npos) << messages;
  EXPECT_NE(messages.find("did you mean 'dir'"), std::string::npos) << messages;
}

}  // namespace
}  // namespace ws
