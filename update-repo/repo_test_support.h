// A scratch repository for update-repo's tests: one key for every role, and
// release dists made of small synthetic bundles (a few variants, each with
// its devices), so that publishing and updating take milliseconds.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "update-repo/device_client.h"
#include "update-repo/repo_state.h"
#include "update-repo/repository.h"

namespace ws::tuf::testing {

namespace fs = std::filesystem;

// variant → its devices
using Variants = std::map<std::string, std::vector<std::string>>;
inline const Variants kTwoVariants = {{"base-64m-release", {"tv-2019", "stick-2020"}},
                                      {"simd-512m-release", {"console-2022"}}};

class ScratchRepo {
 public:
  ScratchRepo() {
    std::string pattern = (fs::temp_directory_path() / "ws-update-repo-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    key_ = MakeRoleKey(*bundle::GenerateSigningKey());
    ring_.Add(key_);
    InitOptions init{repo(), {key_}, 1, {key_}, {key_}, {key_}};
    Status s = InitRepository(init);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  }
  ~ScratchRepo() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string repo() const { return dir_ + "/repo"; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  const RoleKey& key() const { return key_; }
  const Keyring& ring() const { return ring_; }

  // A module whose bytes differ by version and variant (a custom section),
  // large enough that deltas are worth something.
  static std::string Module(const std::string& version, const std::string& variant) {
    std::string payload = "\x04note" + version + "/" + variant;
    for (int i = 0; i < 400; ++i) payload += "function body " + std::to_string(i % 50) + ";";
    std::string wasm("\0asm\x01\0\0\0", 8);
    wasm += '\0';
    std::string size;  // LEB128
    for (size_t n = payload.size();;) {
      uint8_t byte = n & 0x7f;
      n >>= 7;
      size += static_cast<char>(byte | (n ? 0x80 : 0));
      if (!n) break;
    }
    return wasm + size + payload;
  }

  static std::string Bundle(const std::string& app, const std::string& version, const std::string& variant,
                            const std::vector<std::string>& devices, std::string wasm = "") {
    if (wasm.empty()) wasm = Module(version, variant);
    bundle::BundleInputs in;
    in.manifest.app = app;
    in.manifest.version = version;
    in.manifest.build_id = Sha256Hex(wasm).substr(0, 16);
    in.manifest.variant = variant;
    in.manifest.devices = devices;
    in.manifest.toolchain = "test";
    in.wasm = std::span(reinterpret_cast<const uint8_t*>(wasm.data()), wasm.size());
    in.compression.level = 3;
    Result<std::vector<uint8_t>> bytes = bundle::WriteBundle(in);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    return bytes.ok() ? std::string(bytes->begin(), bytes->end()) : std::string();
  }

  // dist/ as `wasmship build -p release --all-devices` leaves it, in `dir`
  // (default: the scratch directory); `wasm`: every variant's module.
  std::string Dist(const std::string& version, const Variants& variants = kTwoVariants,
                   const std::string& app = "catalog", const std::string& wasm = "") {
    return WriteDist(dir_ + "/dist-" + app + "-" + version, version, variants, app, wasm);
  }
  static std::string WriteDist(const std::string& dist, const std::string& version, const Variants& variants,
                               const std::string& app, const std::string& wasm) {
    Json index = {{"app", app}, {"version", version}, {"devices", Json::object()}};
    for (const auto& [variant, devices] : variants) {
      std::string file = "bundles/" + app + "-" + version + "-" + variant + ".wsb";
      EXPECT_TRUE(WriteFileAtomically(dist + "/" + file, Bundle(app, version, variant, devices, wasm)).ok());
      for (const std::string& d : devices) index["devices"][d] = {{"bundle", file}, {"variant", variant}};
    }
    EXPECT_TRUE(WriteFileAtomically(dist + "/index.json", index.dump(2)).ok());
    return dist;
  }

  Result<PublishSummary> Publish(const std::string& version, const std::string& channel = "stable",
                                 int basis_points = 10000, const Variants& variants = kTwoVariants) {
    PublishOptions o{repo(), channel, Dist(version, variants), basis_points, 3};
    return tuf::Publish(o, ring_);
  }

  // Publishes and fails the test on an error.
  void MustPublish(const std::string& version, const std::string& channel = "stable") {
    Result<PublishSummary> s = Publish(version, channel);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  Result<UpdateOutcome, Refusal> Update(const std::string& device, const std::string& id, const std::string& state,
                                        const std::string& served = "", const std::string& channel = "stable") {
    UpdateOptions o{served.empty() ? repo() : served, device, id, path(state), repo() + "/1.root.json", channel};
    return UpdateDevice(o);
  }

  // A copy of the repository as it is now (an attacker's mirror of it).
  std::string Snapshot(const std::string& name) {
    std::string copy = path(name);
    fs::copy(repo(), copy, fs::copy_options::recursive);
    return copy;
  }

 private:
  std::string dir_;
  RoleKey key_;
  Keyring ring_;
};

}  // namespace ws::tuf::testing
