#include "device-host/app_loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>


namespace ws::host {
namespace {

namespace fs = std::filesystem;

bundle::SigningKey NewKey() {
  Result<bundle::SigningKey> key = bundle::GenerateSigningKey();
  EXPECT_TRUE(key);
  return *key;
}

// Module-like bytes (the bundle format does not parse the module).
std::vector<uint8_t> Module(uint8_t salt) {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (int i = 0; i < 3000; ++i) out.push_back(static_cast<uint8_t>((i * 31 + (i % 97 == 0 ? salt : 0)) & 0xff));
  return out;
}

bundle::BundleInputs Inputs(std::span<const uint8_t> wasm, const bundle::SigningKey* key,
                            std::span<const uint8_t> base) {
  bundle::BundleInputs in;
  in.manifest.app = "app";
  in.manifest.version = "1.0.0";
  in.manifest.build_id = "00";
  in.manifest.variant = "base";
  in.manifest.features = {"mutable_globals", "sign_ext"};
  in.manifest.devices = {"tv"};
  in.wasm = wasm;
  in.delta_base = base;
  in.compression.level = 3;
  in.key = key;
  return in;
}

class AppLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ws_app_loader_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
  }
  std::string WriteBundle(const std::string& name, std::span<const uint8_t> wasm, std::span<const uint8_t> base = {}) {
    Result<std::vector<uint8_t>> bytes = bundle::WriteBundle(Inputs(wasm, &key_, base));
    EXPECT_TRUE(bytes) << bytes.error().message;
    return Write(name, *bytes);
  }

  fs::path dir_;
  bundle::SigningKey key_ = NewKey();
  std::vector<uint8_t> module_ = Module(0);
};

TEST_F(AppLoaderTest, AMissingFileIsItsOwnKindAndAFifoIsRefused) {
  Result<LoadedApp, LoadError> missing = LoadApp({.path = (dir_ / "nope.wsb").string()});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, LoadErrorKind::kMissingFile);
  std::string fifo = (dir_ / "pipe.wsb").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<LoadedApp, LoadError> refused = LoadApp({.path = fifo});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, LoadErrorKind::kRefused);
}

TEST_F(AppLoaderTest, ASignedBundleLoadsWithItsKeyAndIsRefusedWithAnother) {
  std::string path = WriteBundle("app.wsb", module_);
  Result<LoadedApp, LoadError> loaded = LoadApp({.path = path, .key = &key_.public_key});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->wasm, module_);
  bundle::SigningKey other = NewKey();
  Result<LoadedApp, LoadError> wrong = LoadApp({.path = path, .key = &other.public_key});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, LoadErrorKind::kRefused);
}

TEST_F(AppLoaderTest, ADeviceWithoutAFeatureTheBundleNeedsRefusesIt) {
  std::string path = WriteBundle("app.wsb", module_);  // needs mutable_globals and sign_ext
  Device device;
  device.name = "old-tv";
  device.features.sign_ext = false;
  Result<LoadedApp, LoadError> refused = LoadApp({.path = path, .device = &device});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, LoadErrorKind::kRefused);
  EXPECT_NE(refused.error().message.find("needs sign_ext"), std::string::npos) << refused.error().message;
  ASSERT_EQ(refused.error().notes.size(), 1u);
}

TEST_F(AppLoaderTest, ADeltaIsAppliedOntoTheBaseFoundInTheSearchDirectory) {
  std::vector<uint8_t> next = Module(7);
  fs::create_directories(dir_ / "bundles");
  WriteBundle("bundles/base.wsb", module_);
  std::string delta = WriteBundle("delta.wsb", next, module_);
  Result<LoadedApp, LoadError> loaded =
      LoadApp({.path = delta, .search_dir = (dir_ / "bundles").string(), .key = &key_.public_key});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->wasm, next);
  fs::remove(dir_ / "bundles/base.wsb");
  Result<LoadedApp, LoadError> orphan = LoadApp({.path = delta, .search_dir = (dir_ / "bundles").string()});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().kind, LoadErrorKind::kRefused);
  EXPECT_NE(orphan.error().message.find("no bundle here has it"), std::string::npos);
}

}  // namespace
}  // namespace ws::host
