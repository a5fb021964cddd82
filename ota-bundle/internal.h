// Internals of ota-bundle shared by its .cc files, its tests and its fuzz
// target; nothing outside ota-bundle/ includes this. It holds the fixed parts
// of the container (magic, field widths, caps), little-endian fields, hex and
// the one place that brings libsodium up.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ota-bundle/ota_bundle.h"

namespace ws::bundle::internal {

inline constexpr std::array<uint8_t, 4> kMagic = {'W', 'S', 'B', '1'};
inline constexpr size_t kSigBlockBytes = kKeyIdBytes + kSignatureBytes;  // 72
// A manifest is a few hundred bytes; the cap keeps a corrupt length field
// from making the reader parse (and allocate for) megabytes of JSON.
inline constexpr uint64_t kMaxManifestBytes = 1u << 20;
// zstd's compressBound for the largest module a device accepts: no honest
// payload is larger, so a larger length field is corruption, not data.
inline constexpr uint64_t kMaxPayloadBytes =
    kMaxWasmBytes + (kMaxWasmBytes >> 8) + (64u << 10);  // ≥ ZSTD_COMPRESSBOUND(kMaxWasmBytes)
// 27 is the zstd CLI's default window limit: payloads within it decompress
// with a stock `zstd -d` (no --long) and keep a streaming device's window at
// 128 MiB or less. 10 is the format's smallest window (1 KiB).
inline constexpr int kMaxWindowLog = 27;
static_assert(kMaxBundleBytes >= 4 + 4 + kMaxManifestBytes + 8 + kMaxPayloadBytes + 2 + kKeyIdBytes + kSignatureBytes);
inline constexpr int kMinWindowLog = 10;

void PutLe(std::vector<uint8_t>& out, uint64_t value, size_t width);
// The caller has checked that [offset, offset + width) lies inside `bytes`.
uint64_t GetLe(std::span<const uint8_t> bytes, size_t offset, size_t width);

std::string Hex(std::span<const uint8_t> bytes);
bool IsSha256Hex(std::string_view text);  // 64 lowercase hex digits
std::array<uint8_t, 32> Sha256(std::span<const uint8_t> bytes);
// sodium_init once per process; false if libsodium cannot start (no entropy).
bool SodiumReady();

// A key from its 32-byte seed (deterministic; tests and fuzz seeds use it).
SigningKey SigningKeyFromSeed(const std::array<uint8_t, 32>& seed);
std::array<uint8_t, kKeyIdBytes> KeyIdOf(const std::array<uint8_t, 32>& public_key);

// The container around an already serialized manifest and payload, signed
// with `key` when it is not null. The writer uses it, and tests use it to
// build bundles whose manifest and payload disagree but whose signature is good.
std::vector<uint8_t> AssembleBundle(std::string_view manifest_json, std::span<const uint8_t> payload,
                                    const SigningKey* key);

// What a device checks in a manifest before running anything: a host ABI
// it implements, features it knows, and a variant that is a plain name (it
// becomes part of file names). The writer refuses the same.
Status CheckManifestValues(const Manifest& manifest);

// The container checks shared by ReadBundle and InspectBundle: magic, every
// length, truncation, the manifest's schema, the signature block's shape and
// trailing bytes. The payload and the signature itself are not looked at.
struct Structure {
  Manifest manifest;
  BundleLayout layout;
  uint64_t signed_bytes = 0;  // how many leading bytes the signature covers
};
Result<Structure> ReadStructure(std::span<const uint8_t> bytes);

// The payload checks of ReadBundle (frame shape, sizes, window, delta base,
// decompression, hash), given a structurally valid bundle.
Result<std::vector<uint8_t>> DecodePayload(std::span<const uint8_t> payload, const Manifest& manifest,
                                           const ReadOptions& options);

}  // namespace ws::bundle::internal
