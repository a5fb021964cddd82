#include "feature-matrix/device_matrix.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "diagnostics/diagnostic_printer.h"

namespace ws {
namespace {

class DeviceMatrixTest : public ::testing::Test {
 protected:
  std::optional<DeviceMatrix> Load(const std::string& text) {
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("ws_devices_" + std::to_string(::getpid()) + ".yaml"))
                .string();
    std::ofstream(path_) << text;
    return LoadDeviceMatrix(path_, sink_);
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::string Messages() {
    std::string all;
    for (const Diagnostic& d : sink_.diagnostics()) all += FormatDiagnostic(d);
    return all;
  }
  std::string path_;
  DiagnosticSink sink_;
};

TEST_F(DeviceMatrixTest, LoadsDevicesInOrder) {
  auto m = Load(R"(devices:
  ps5:        { simd: true,  threads: true,  cores: 8, memory: 512MiB, engine: aot,    host_abi: 1 }
  tv-2019:    { simd: false, threads: false, cores: 4, memory: 128MiB, engine: interp, host_abi: 1, bulk_memory: false }
)");
  ASSERT_TRUE(m) << Messages();
  ASSERT_EQ(m->devices.size(), 2u);
  EXPECT_EQ(m->devices[0].name, "ps5");
  EXPECT_TRUE(m->devices[0].features.simd);
  EXPECT_TRUE(m->devices[0].features.bulk_memory);  // implied by threads
  EXPECT_EQ(m->devices[0].memory, 512ull << 20);
  EXPECT_EQ(m->devices[0].engine, "aot");
  EXPECT_EQ(m->devices[1].cores, 4);
  EXPECT_EQ(m->devices[1].features.Names(), (std::vector<std::string>{"sign_ext", "mutable_globals"}));
}

TEST_F(DeviceMatrixTest, UnknownKeysFeaturesAndAbiAreErrors) {
  EXPECT_FALSE(Load(R"(devices:
  tv: { smid: true, memory: lots, engine: jit, host_abi: 2 }
)"));
  std::string text = Messages();
  EXPECT_NE(text.find(":2:9: error: unknown key 'smid' in devices.tv; did you mean 'simd'?"), std::string::npos) << text;
  EXPECT_NE(text.find("devices.tv.memory is not a size: 'lots'"), std::string::npos) << text;
  EXPECT_NE(text.find("'jit' is not a valid devices.tv.engine"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown host_abi 2 for device 'tv'"), std::string::npos) << text;
}

TEST_F(DeviceMatrixTest, BadAndDuplicateNamesAreErrors) {
  EXPECT_FALSE(Load("devices:\n  tv: {}\n  \"my tv\": {}\n  tv: { memory: 64MiB }\n"));
  std::string text = Messages();
  EXPECT_NE(text.find(":3:3: error: device name 'my tv' may only use letters"), std::string::npos) << text;
  EXPECT_NE(text.find(":4:3: error: device 'tv' is listed twice"), std::string::npos) << text;
}

TEST_F(DeviceMatrixTest, UnknownDeviceSuggests) {
  auto m = Load("devices:\n  stick-lite: {}\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(FindDevice(*m, "stick-lte", sink_), nullptr);
  EXPECT_NE(Messages().find("unknown device 'stick-lte'; did you mean 'stick-lite'?"), std::string::npos);
}

// The prebuilt wasm32 libc++ uses sign-extension: no module builds without it.
TEST_F(DeviceMatrixTest, FeaturesThePrebuiltLibrariesNeedAreRequired) {
  EXPECT_FALSE(Load(R"(devices:
  old: { sign_ext: false, memory: 64MiB }
  odd: { threads: true, bulk_memory: false }
)"));
  std::string text = Messages();
  EXPECT_NE(text.find(":2:20: error: device 'old' has sign_ext: false, but the prebuilt wasm32 libraries"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("remove `sign_ext: false`"), std::string::npos) << text;
  EXPECT_NE(text.find(":3:38: error: device 'odd' has threads: true and bulk_memory: false"), std::string::npos)
      << text;
  // Saying so, or leaving them out, is fine; so is a device without threads or bulk memory.
  sink_ = DiagnosticSink();
  auto m = Load("devices:\n  a: { sign_ext: true, threads: true, bulk_memory: true }\n  b: { bulk_memory: false }\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_TRUE(m->devices[0].features.sign_ext);
  EXPECT_FALSE(m->devices[1].features.bulk_memory);
}

TEST_F(DeviceMatrixTest, MemoryOutsideWasm32sRangeIsAnError) {
  EXPECT_FALSE(Load(R"(devices:
  zero: { memory: 0 }
  huge: { memory: 99999999GiB }
  tiny: { memory: 512KiB }
  over: { memory: 4097MiB }
)"));
  std::string text = Messages();
  EXPECT_NE(text.find(":2:19: error: devices.zero.memory is 0, outside the valid range 1MiB to 4GiB"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(":3:19: error: devices.huge.memory is 99999999GiB, outside the valid range"), std::string::npos)
      << text;
  EXPECT_NE(text.find(":4:19: error: devices.tiny.memory is 512KiB, outside"), std::string::npos) << text;
  EXPECT_NE(text.find(":5:19: error: devices.over.memory is 4097MiB, outside"), std::string::npos) << text;
  sink_ = DiagnosticSink();
  auto m = Load("devices:\n  low: { memory: 1MiB }\n  high: { memory: 4GiB }\n");
  ASSERT_TRUE(m) << Messages();
  EXPECT_EQ(m->devices[0].memory, 1ull << 20);
  EXPECT_EQ(m->devices[1].memory, 4ull << 30);
}

}  // namespace
}  // namespace ws
