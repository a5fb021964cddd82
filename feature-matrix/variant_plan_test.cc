#include "feature-matrix/variant_plan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace ws {
namespace {

DeviceMatrix SevenDevices() {
  std::string path = (std::filesystem::path(::testing::TempDir()) /
                      ("ws_seven_" + std::to_string(::getpid()) + ".yaml"))
                         .string();
  std::ofstream(path) << R"(devices:
  ps5:        { simd: true,  threads: true,  cores: 8, memory: 512MiB, engine: aot }
  xbox:       { simd: true,  threads: true,  cores: 8, memory: 512MiB, engine: aot }
  tv-2019:    { memory: 128MiB }
  tv-2020:    { memory: 128MiB }
  tv-2021:    { memory: 128MiB, engine: aot }
  stick-lite: { memory: 64MiB }
  stick-pro:  { memory: 64MiB }
)";
  DiagnosticSink sink;
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(path, sink);
  std::filesystem::remove(path);
  if (!matrix) {
    ADD_FAILURE() << "the seven-device matrix did not load";
    return {};
  }
  return *std::move(matrix);
}

const PipelinePolicy kSize{"size", false};
const PipelinePolicy kAuto{"auto", false};

TEST(VariantPlanTest, SevenDevicesReduceToThreeVariants) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", kSize);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].name, "simd-threads-512m-release");
  EXPECT_EQ(v[0].devices, (std::vector<std::string>{"ps5", "xbox"}));
  EXPECT_EQ(v[1].name, "base-128m-release");
  EXPECT_EQ(v[1].devices, (std::vector<std::string>{"tv-2019", "tv-2020", "tv-2021"}));
  EXPECT_EQ(v[2].name, "base-64m-release");
  EXPECT_EQ(v[2].max_memory, 64ull << 20);
}

TEST(VariantPlanTest, SpeedForAotSplitsAotDevicesOff) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", {"size", true});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "simd-threads-512m-speed-release");
  EXPECT_EQ(v[2].name, "base-128m-speed-release");
  EXPECT_EQ(v[2].devices, std::vector<std::string>{"tv-2021"});
}

TEST(VariantPlanTest, SubsetAndNames) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, {"stick-pro"}, "debug", {"none", false});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].devices, std::vector<std::string>{"stick-pro"});
  FeatureSet f;
  f.sign_ext = false;
  f.bulk_memory = true;
  EXPECT_EQ(VariantName(f, 100 << 10, "debug"), "bulk-nosignext-100k-debug");
}

TEST(VariantPlanTest, ExplainSaysWhyAndWhoShares) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", kSize);
  std::vector<std::string> lines = Explain(*m.Find("xbox"), v[0], kSize);
  EXPECT_NE(lines[0].find("simd, threads"), std::string::npos);
  EXPECT_EQ(lines.back(), "shared with: ps5");
}

TEST(VariantPlanTest, AutoGivesInterpSpeedAndAotSize) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", kAuto);
  ASSERT_EQ(v.size(), 4u);
  // Names stay as they were wherever the engine does not split a tuple.
  EXPECT_EQ(v[0].name, "simd-threads-512m-release");
  EXPECT_EQ(v[0].pipeline, "size");
  EXPECT_FALSE(v[0].auto_speed);
  EXPECT_EQ(v[1].name, "base-128m-release");
  EXPECT_EQ(v[1].pipeline, "speed");
  EXPECT_TRUE(v[1].auto_speed);
  EXPECT_EQ(v[1].devices, (std::vector<std::string>{"tv-2019", "tv-2020"}));
  // tv-2021 (aot) has tv-2019's features and memory: its size variant is marked.
  EXPECT_EQ(v[2].name, "base-128m-size-release");
  EXPECT_EQ(v[2].pipeline, "size");
  EXPECT_EQ(v[2].devices, std::vector<std::string>{"tv-2021"});
  EXPECT_EQ(v[3].name, "base-64m-release");
  EXPECT_EQ(v[3].pipeline, "speed");
}

TEST(VariantPlanTest, AutoNamesDependOnTheMatrixNotOnTheDevicesBuilt) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> only_aot = PlanVariants(m, {"tv-2021"}, "release", kAuto);
  ASSERT_EQ(only_aot.size(), 1u);
  EXPECT_EQ(only_aot[0].name, "base-128m-size-release");
  std::vector<Variant> only_interp = PlanVariants(m, {"tv-2020"}, "release", kAuto);
  ASSERT_EQ(only_interp.size(), 1u);
  EXPECT_EQ(only_interp[0].name, "base-128m-release");
}

TEST(VariantPlanTest, FixedPipelinesIgnoreTheEngine) {
  DeviceMatrix m = SevenDevices();
  for (const char* fixed : {"size", "speed"}) {
    std::vector<Variant> v = PlanVariants(m, m.Names(), "release", {fixed, false});
    ASSERT_EQ(v.size(), 3u) << fixed;
    for (const Variant& variant : v) {
      EXPECT_EQ(variant.pipeline, fixed);
      EXPECT_FALSE(variant.auto_speed);
    }
    EXPECT_EQ(v[1].name, "base-128m-release");
  }
  std::vector<Variant> debug = PlanVariants(m, m.Names(), "debug", {"none", true});
  ASSERT_EQ(debug.size(), 3u);
  EXPECT_EQ(debug[0].pipeline, "debug");
}

TEST(VariantPlanTest, AotSpeedUnderAutoMakesEveryDeviceSpeed) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", {"auto", true});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "simd-threads-512m-speed-release");
  EXPECT_EQ(v[1].name, "base-128m-release");
  EXPECT_TRUE(v[1].auto_speed);  // interp: may give way to size over budget
  EXPECT_EQ(v[2].name, "base-128m-speed-release");
  EXPECT_FALSE(v[2].auto_speed);  // asked for by aot_speed: always speed
  for (const Variant& variant : v) EXPECT_EQ(variant.pipeline, "speed");
}

TEST(VariantPlanTest, ExplainSaysWhichPipelineAndWhy) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", kAuto);
  std::vector<std::string> interp = Explain(*m.Find("tv-2020"), v[1], kAuto);
  EXPECT_NE(interp[2].find("speed pipeline: optimize: auto, and tv-2020's engine is interp"), std::string::npos)
      << interp[2];
  EXPECT_NE(interp[2].find("budget"), std::string::npos);
  std::vector<std::string> aot = Explain(*m.Find("xbox"), v[0], kAuto);
  EXPECT_NE(aot[2].find("size pipeline: optimize: auto, and xbox's engine is aot"), std::string::npos) << aot[2];
}

}  // namespace
}  // namespace ws
