// A matrix of 10,000 devices (issue 15, item 6): read by the fast path
// exactly as yaml-cpp reads it, planned into its distinct variants only.
// (Timings are bench/matrix-scale's business, not a test's.)
#include <gtest/gtest.h>

#include <set>

#include "feature-matrix/device_matrix.h"
#include "feature-matrix/device_matrix_fast.h"
#include "feature-matrix/variant_plan.h"

namespace ws {
namespace {

// The shape bench/gen-devices writes: device i has kind i % 16 (simd,
// threads, one of four memories), interp when i / 16 is even, else aot.
std::string Generate(int n) {
  const char* memory[] = {"64MiB", "128MiB", "256MiB", "512MiB"};
  std::string text = "# generated\ndevices:\n";
  for (int i = 0; i < n; ++i) {
    int kind = i % 16;
    text += "  dev-" + std::to_string(i) + ": { simd: " + (kind / 8 ? "true" : "false") +
            ", threads: " + (kind / 4 % 2 ? "true" : "false") + ", cores: 4, memory: " + memory[kind % 4] +
            ", engine: " + (i / 16 % 2 ? "aot" : "interp") + ", host_abi: 1 }  # kind " + std::to_string(kind) + "\n";
  }
  return text;
}

void ExpectSameMatrix(const DeviceMatrix& a, const DeviceMatrix& b) {
  ASSERT_EQ(a.devices.size(), b.devices.size());
  for (size_t i = 0; i < a.devices.size(); ++i) {
    const Device &x = a.devices[i], &y = b.devices[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_TRUE(x.features == y.features) << x.name;
    EXPECT_EQ(x.cores, y.cores) << x.name;
    EXPECT_EQ(x.memory, y.memory) << x.name;
    EXPECT_EQ(x.engine, y.engine) << x.name;
    EXPECT_EQ(x.host_abi, y.host_abi) << x.name;
    EXPECT_EQ(x.span.line, y.span.line) << x.name;
    EXPECT_EQ(x.span.column, y.span.column) << x.name;
    EXPECT_EQ(x.span.length, y.span.length) << x.name;
  }
}

TEST(MatrixScaleTest, TenThousandDevicesPlanToTheirDistinctVariants) {
  std::string text = Generate(10000);
  std::optional<DeviceMatrix> fast = ParseFlowDeviceMatrix("devices.yaml", text);
  ASSERT_TRUE(fast.has_value());
  DiagnosticSink sink;
  std::optional<DeviceMatrix> full = ParseDeviceMatrixWithYamlCpp("devices.yaml", text, sink);
  ASSERT_TRUE(full.has_value());
  ExpectSameMatrix(*fast, *full);

  // Debug: one variant per (features, memory) kind, the engine aside.
  std::vector<Variant> debug = PlanVariants(*fast, fast->Names(), "debug", {"none", false});
  ASSERT_EQ(debug.size(), 16u);
  size_t devices = 0;
  std::set<std::string> names;
  for (const Variant& v : debug) {
    devices += v.devices.size();
    names.insert(v.name);
    EXPECT_EQ(v.devices.size(), 625u) << v.name;
  }
  EXPECT_EQ(devices, 10000u);
  EXPECT_EQ(names.size(), 16u);
  EXPECT_EQ(debug.front().name, "base-64m-debug");
  EXPECT_EQ(debug.front().devices[1], "dev-16");
  // Release under optimize: auto: interp devices get speed, aot devices size.
  std::vector<Variant> release = PlanVariants(*fast, fast->Names(), "release", {"auto", false});
  ASSERT_EQ(release.size(), 32u);
  EXPECT_EQ(release[1].name, "base-128m-release");
  EXPECT_EQ(release[1].pipeline, "speed");
  EXPECT_EQ(release[16].name, "base-64m-size-release");
  EXPECT_EQ(release[16].devices.front(), "dev-16");
}

TEST(MatrixScaleTest, FastPathLeavesEverythingElseToTheFullReader) {
  const char* others[] = {
      "devices:\n  tv: { simd: yes }\n",                     // a YAML 1.1 boolean
      "devices:\n  tv:\n    simd: true\n",                    // a block mapping
      "devices:\n  tv: { simd: true, simd: false }\n",        // a duplicate key
      "devices:\n  tv: { simd: true }\n  tv: { }\n",          // a duplicate device
      "devices:\n  tv: { memory: 512KiB }\n",                 // out of range
      "devices:\n  tv: { engine: jit }\n",                    // a bad value
      "devices:\n  tv: { simd: true, bulk_memory: false, threads: true }\n",  // not buildable
      "devices:\n  \"tv\": { }\n",                            // quotes
      "devices: {}\n",
      "other: 1\ndevices:\n  tv: { }\n",
  };
  for (const char* text : others) EXPECT_FALSE(ParseFlowDeviceMatrix("d.yaml", text).has_value()) << text;
  // And the full reader still reports them, with line:column.
  DiagnosticSink sink;
  EXPECT_FALSE(ParseDeviceMatrix("d.yaml", "devices:\n  tv: { engine: jit }\n", sink).has_value());
  ASSERT_FALSE(sink.diagnostics().empty());
  EXPECT_EQ(sink.diagnostics().front().span.line, 2u);
  // The accepted shape, with comments and an empty device.
  std::optional<DeviceMatrix> ok =
      ParseFlowDeviceMatrix("d.yaml", "# top\ndevices:   # all\n\n  tv: { }\n  ps5: { simd: true, threads: true } # x\n");
  ASSERT_TRUE(ok.has_value());
  ASSERT_EQ(ok->devices.size(), 2u);
  EXPECT_TRUE(ok->devices[1].features.bulk_memory);  // implied by threads
}

}  // namespace
}  // namespace ws
