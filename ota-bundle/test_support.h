// Fixed keys, modules and manifests for ota-bundle's tests, its fuzz target
// and the fuzz seeds. Everything is deterministic, so a seed written today
// still verifies with the key and base the fuzz target uses.
#pragma once

#include <cstdint>
#include <vector>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::bundle::testing {

inline SigningKey TestKey(uint8_t n = 1) {
  std::array<uint8_t, 32> seed{};
  seed.fill(n);
  return internal::SigningKeyFromSeed(seed);
}

// Module-like bytes: the wasm header, then code-like runs drawn from a small
// vocabulary, so that zstd finds matches as in a real module.
inline std::vector<uint8_t> TestModule(size_t bytes, uint32_t salt = 0) {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  uint32_t state = 0x9E3779B9u ^ salt;
  while (out.size() < bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    size_t run = 2 + state % 7;
    uint8_t op = static_cast<uint8_t>(0x20 + (state >> 8) % 24);
    for (size_t i = 0; i < run && out.size() < bytes; ++i) out.push_back(static_cast<uint8_t>(op + i));
  }
  out.resize(bytes);
  return out;
}

// `base` with `length` bytes at `offset` rewritten: a small code change.
inline std::vector<uint8_t> Edited(std::vector<uint8_t> base, size_t offset, size_t length,
                                   uint8_t salt = 1) {
  for (size_t i = offset; i < offset + length && i < base.size(); ++i)
    base[i] = static_cast<uint8_t>(base[i] * 7 + salt);
  return base;
}

// The base module of the delta fuzz seed; the fuzz target reads with it.
inline std::vector<uint8_t> FuzzBase() { return TestModule(400, 0x5eed); }

inline Manifest TestManifest() {
  Manifest m;
  m.app = "catalog";
  m.version = "1.4.0";
  m.build_id = "0123456789abcdef";
  m.variant = "base-128m-release";
  m.features = {"mutable_globals", "sign_ext"};
  m.devices = {"stick-lite", "tv-2019"};
  m.host_abi = 1;
  m.created = 1700000000;
  m.toolchain = "wasmship 0.1.0 clang-19";
  return m;
}

inline BundleInputs TestInputs(std::span<const uint8_t> wasm, const SigningKey* key = nullptr,
                               std::span<const uint8_t> base = {}, int level = 3) {
  BundleInputs in;
  in.manifest = TestManifest();
  in.wasm = wasm;
  in.delta_base = base;
  in.compression.level = level;
  in.key = key;
  return in;
}

}  // namespace ws::bundle::testing
