// The compile commands a plan makes from a profile: hot_reload adds the
// WS_HOT_RELOAD define to the app's sources, the runtime's and the PCH alike
// (they share ValueBox's layout), and a profile without it compiles exactly
// as before.
#include "compiler-driver/build_plan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

bool HasFlag(const std::vector<std::string>& command, const std::string& flag) {
  return std::find(command.begin(), command.end(), flag) != command.end();
}

class BuildPlanTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("ws_build_plan_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src");
    std::ofstream(dir_ / "src" / "main.cpp") << "int f() { return 1; }\n";
    std::ofstream(dir_ / "wasmship.yaml") << "app: { name: a, version: 1.0.0 }\nsources: [src/*.cpp]\n"
                                             "profiles: { staging: { opt: O2 } }\n";
    manifest_ = LoadManifest((dir_ / "wasmship.yaml").string(), sink_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::optional<BuildPlan> Plan(const std::string& profile) {
    Variant variant;
    variant.name = "v-" + profile;
    variant.profile = profile;
    BuildOptions options;
    options.profile = profile;
    return PlanBuild(*manifest_, manifest_->profiles.at(profile), variant, options, sink_);
  }

  fs::path dir_;
  DiagnosticSink sink_;
  std::optional<Manifest> manifest_;
};

TEST_F(BuildPlanTest, HotReloadDefinesTheMacroForEveryUnitOfDebugOnly) {
  ASSERT_TRUE(manifest_);
  std::optional<BuildPlan> debug = Plan("debug");
  ASSERT_TRUE(debug) << (sink_.diagnostics().empty() ? "" : sink_.diagnostics()[0].message);
  ASSERT_GT(debug->units.size(), 1u);
  bool saw_runtime = false;
  for (const CompileUnit& unit : debug->units) {
    EXPECT_TRUE(HasFlag(unit.command, "-DWS_HOT_RELOAD=1")) << unit.display;
    saw_runtime = saw_runtime || IsRuntimeUnit(unit);
  }
  EXPECT_TRUE(saw_runtime);
  EXPECT_TRUE(HasFlag(debug->pch.command, "-DWS_HOT_RELOAD=1"));

  for (const std::string& profile : {"release", "staging"}) {
    std::optional<BuildPlan> plan = Plan(profile);
    ASSERT_TRUE(plan);
    for (const CompileUnit& unit : plan->units) EXPECT_FALSE(HasFlag(unit.command, "-DWS_HOT_RELOAD=1")) << unit.display;
    EXPECT_FALSE(HasFlag(plan->pch.command, "-DWS_HOT_RELOAD=1"));
  }
}

// optimize: auto's speed variants carry the smallest absolute wasm and
// bundle limits of their devices to the optimizer (a device's rule replaces
// the default one); other variants carry none.
TEST_F(BuildPlanTest, AutoSpeedVariantsCarryTheirDevicesBudgets) {
  std::ofstream(dir_ / "wasmship.yaml") << "app: { name: a, version: 1.0.0 }\nsources: [src/*.cpp]\n"
                                           "budgets:\n  default: { wasm: 1MiB, bundle: 50KiB, growth: 2% }\n"
                                           "  tv: { wasm: 200KiB }\n";
  manifest_ = LoadManifest((dir_ / "wasmship.yaml").string(), sink_);
  ASSERT_TRUE(manifest_);
  const Profile& release = manifest_->profiles.at("release");
  EXPECT_EQ(release.optimize, "auto");
  Variant variant{"base-128m-release", FeatureSet{}, 128ull << 20, "release", "speed", true, {"tv", "box"}};
  BuildOptions options;
  options.profile = "release";
  std::optional<BuildPlan> plan = PlanBuild(*manifest_, release, variant, options, sink_);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->optimize.options.pipeline, opt::Pipeline::kSpeed);
  EXPECT_EQ(plan->optimize.options.speed_max_wasm, 200 << 10);  // tv's own rule; box has the default 1 MiB
  EXPECT_EQ(plan->optimize.options.speed_max_bundle, 50 << 10);
  EXPECT_EQ(plan->optimize.options.zstd_level, release.zstd_level);

  for (Variant other : {Variant{"base-256m-release", FeatureSet{}, 256ull << 20, "release", "size", false, {"box"}},
                        Variant{"x", FeatureSet{}, 128ull << 20, "release", "speed", false, {"tv"}}}) {
    plan = PlanBuild(*manifest_, release, other, options, sink_);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->optimize.options.speed_max_wasm, 0) << other.name;
    EXPECT_EQ(plan->optimize.options.speed_max_bundle, 0) << other.name;
  }
}

// preinit: true defines WS_PREINIT for every unit and the PCH, keeps
// ws_preinit through the optimizer and asks it for the snapshot at the
// default screen; other profiles compile and optimize exactly as before.
TEST_F(BuildPlanTest, PreinitDefinesTheMacroKeepsTheExportAndAsksForTheSnapshot) {
  std::ofstream(dir_ / "wasmship.yaml") << "app: { name: a, version: 1.0.0 }\nsources: [src/*.cpp]\n"
                                           "profiles: { staging: { preinit: true } }\n";
  manifest_ = LoadManifest((dir_ / "wasmship.yaml").string(), sink_);
  ASSERT_TRUE(manifest_);
  std::optional<BuildPlan> on = Plan("staging");
  ASSERT_TRUE(on);
  for (const CompileUnit& unit : on->units) EXPECT_TRUE(HasFlag(unit.command, "-DWS_PREINIT=1")) << unit.display;
  EXPECT_TRUE(HasFlag(on->pch.command, "-DWS_PREINIT=1"));
  EXPECT_TRUE(HasFlag(on->optimize.options.keep_exports, "ws_preinit"));
  EXPECT_EQ(on->optimize.options.preinit_width, 1280);
  EXPECT_EQ(on->optimize.options.preinit_height, 720);

  std::optional<BuildPlan> off = Plan("release");
  ASSERT_TRUE(off);
  for (const CompileUnit& unit : off->units) EXPECT_FALSE(HasFlag(unit.command, "-DWS_PREINIT=1")) << unit.display;
  EXPECT_FALSE(HasFlag(off->optimize.options.keep_exports, "ws_preinit"));
  EXPECT_EQ(off->optimize.options.preinit_width, 0);
}

// preinit_fetch: the listed assets (globs expanded, sorted) go to the
// optimize step with a digest of their contents, which is in its cache key;
// a pattern that matches nothing fails at its line and column.
TEST_F(BuildPlanTest, PreinitFetchListsTheAssetsAndTheirContentsAreInTheKey) {
  fs::create_directories(dir_ / "assets" / "data");
  std::ofstream(dir_ / "assets" / "catalog.json") << "{}";
  std::ofstream(dir_ / "assets" / "data" / "b.json") << "[]";
  std::ofstream(dir_ / "assets" / "data" / "a.json") << "[]";
  std::ofstream(dir_ / "wasmship.yaml") << "app: { name: a, version: 1.0.0 }\nsources: [src/*.cpp]\nassets: assets\n"
                                           "profiles: { staging: { preinit: true, preinit_fetch: [catalog.json, data/*.json] } }\n";
  manifest_ = LoadManifest((dir_ / "wasmship.yaml").string(), sink_);
  ASSERT_TRUE(manifest_);
  std::optional<BuildPlan> plan = Plan("staging");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->optimize.options.preinit_fetch,
            (std::vector<std::string>{"catalog.json", "data/a.json", "data/b.json"}));
  EXPECT_EQ(plan->optimize.assets, (dir_ / "assets").lexically_normal().string());
  std::string key = opt::OptimizeRequestKey(plan->optimize);

  std::ofstream(dir_ / "assets" / "data" / "a.json") << "[1]";
  std::optional<BuildPlan> edited = Plan("staging");
  ASSERT_TRUE(edited);
  EXPECT_NE(opt::OptimizeRequestKey(edited->optimize), key);
  EXPECT_TRUE(Plan("release")->optimize.options.preinit_fetch.empty());

  fs::remove(dir_ / "assets" / "catalog.json");
  EXPECT_FALSE(Plan("staging"));
  ASSERT_FALSE(sink_.diagnostics().empty());
  const Diagnostic& missing = sink_.diagnostics().back();
  EXPECT_EQ(missing.message, "preinit_fetch: 'catalog.json' matches no file in the assets directory (assets)");
  EXPECT_EQ(missing.span.line, 4u);
  EXPECT_EQ(missing.span.column, 55u);
}

}  // namespace
}  // namespace ws
