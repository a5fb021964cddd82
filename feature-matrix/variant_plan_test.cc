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

TEST(VariantPlanTest, SevenDevicesReduceToThreeVariants) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", false);
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
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", true);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "simd-threads-512m-speed-release");
  EXPECT_EQ(v[2].name, "base-128m-speed-release");
  EXPECT_EQ(v[2].devices, std::vector<std::string>{"tv-2021"});
}

TEST(VariantPlanTest, SubsetAndNames) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, {"stick-pro"}, "debug", false);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].devices, std::vector<std::string>{"stick-pro"});
  FeatureSet f;
  f.sign_ext = false;
  f.bulk_memory = true;
  EXPECT_EQ(VariantName(f, 100 << 10, "debug", false), "bulk-nosignext-100k-debug");
}

TEST(VariantPlanTest, ExplainSaysWhyAndWhoShares) {
  DeviceMatrix m = SevenDevices();
  std::vector<Variant> v = PlanVariants(m, m.Names(), "release", false);
  std::vector<std::string> lines = Explain(*m.Find("xbox"), v[0]);
  EXPECT_NE(lines[0].find("simd, threads"), std::string::npos);
  EXPECT_EQ(lines.back(), "shared with: ps5");
}

}  // namespace
}  // namespace ws
