// ota-bundle: the .wsb files that go to devices (docs/bundle-format.md).
//
//   "WSB1" | u32 manifest_len | manifest (canonical JSON) | u64 payload_len |
//   payload (one zstd frame) | u16 sig_len | sig block (key id + Ed25519 signature)
//
// All integers are little-endian. sig_len is 72 (8-byte key id, then the
// 64-byte signature) and the signature covers every byte before it, key id
// included. A debug bundle may be unsigned: sig_len 0 and no block. A delta bundle's payload is a zstd
// frame compressed with the base module as its prefix; `delta_base` is the
// base module's sha256.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/result.h"
#include "host-abi/host_abi.h"

namespace ws::bundle {

inline constexpr size_t kKeyIdBytes = 8;
inline constexpr size_t kSignatureBytes = 64;
// A device refuses to inflate a payload past this, whatever the manifest says.
inline constexpr uint64_t kMaxWasmBytes = 256ull << 20;
// The largest .wsb the format allows: a payload of zstd's bound for
// kMaxWasmBytes, a manifest at its cap, the fixed fields and the signature
// block, rounded up. Readers refuse larger files before reading them.
inline constexpr uint64_t kMaxBundleBytes = kMaxWasmBytes + (kMaxWasmBytes >> 8) + (2ull << 20);

// --- keys -------------------------------------------------------------------
// Key files are PEM: PKCS#8 for the secret key, SubjectPublicKeyInfo for the
// public key, so that OpenSSL and Node's crypto read them as they are.

struct PublicKey {
  std::array<uint8_t, 32> bytes{};
  std::array<uint8_t, kKeyIdBytes> id{};  // the first 8 bytes of sha256(bytes)
};

struct SigningKey {
  std::array<uint8_t, 64> secret{};  // libsodium's form: seed then public key
  PublicKey public_key;
};

Result<SigningKey> GenerateSigningKey();
std::string SecretKeyPem(const SigningKey& key);
std::string PublicKeyPem(const PublicKey& key);
// `source` names the text in errors (a path, or "WASMSHIP_SIGNING_KEY").
Result<SigningKey> ParseSigningKey(std::string_view pem, std::string_view source);
// Accepts a public key, or a secret key (whose public half is used).
Result<PublicKey> ParsePublicKey(std::string_view pem, std::string_view source);
std::string KeyIdHex(const std::array<uint8_t, kKeyIdBytes>& id);

// --- the manifest -----------------------------------------------------------

struct Manifest {
  std::string format = "wsb1";
  std::string app;
  std::string version;
  std::string build_id;  // hex; identifies the build's inputs
  std::string variant;
  std::vector<std::string> features;
  std::vector<std::string> devices;
  int host_abi = ::ws::host_abi::kVersion;
  uint64_t wasm_bytes = 0;
  std::string wasm_sha256;  // lowercase hex of the (full) module
  std::string codec = "zstd";
  int level = 19;
  uint64_t payload_bytes = 0;
  std::optional<std::string> delta_base;  // sha256 of the base module; null for a full bundle
  int64_t created = 0;                    // SOURCE_DATE_EPOCH, else 0
  std::string toolchain;

  bool operator==(const Manifest&) const = default;
};

// Sorted keys, no insignificant whitespace: the bytes that get signed.
std::string CanonicalJson(const Manifest& manifest);
// Parses and checks the schema (every key present with its type, no others).
Result<Manifest> ParseManifest(std::string_view json);

// --- writing ----------------------------------------------------------------

struct Compression {
  int level = 19;
  bool long_matching = true;
};

struct BundleInputs {
  // app, version, build_id, variant, features, devices, host_abi, created,
  // toolchain; the writer fills in the rest (sizes, hashes, codec, level,
  // delta_base).
  Manifest manifest;
  std::span<const uint8_t> wasm;
  std::span<const uint8_t> delta_base;  // the base module; empty: a full bundle
  Compression compression;
  const SigningKey* key = nullptr;  // null: unsigned (debug only)
};

// Deterministic: the same inputs give the same bytes. Refuses what a reader
// would refuse: an empty module or one over kMaxWasmBytes, a zstd level
// outside 1..22, a key whose halves disagree, strings that are not UTF-8.
Result<std::vector<uint8_t>> WriteBundle(const BundleInputs& inputs);

// --- reading ----------------------------------------------------------------

// Where each part of a bundle lies, for `bundle inspect` and size reports.
struct BundleLayout {
  uint64_t file_bytes = 0;
  uint64_t manifest_offset = 0, manifest_bytes = 0;
  uint64_t payload_offset = 0, payload_bytes = 0;
  uint64_t signature_offset = 0, signature_bytes = 0;  // the sig block, after u16 sig_len
  bool is_signed = false;
  std::array<uint8_t, kKeyIdBytes> key_id{};
};

struct ReadOptions {
  // Verify the signature with this key; a bundle signed by another key or
  // not signed at all is then an error. Null: the signature is not checked.
  const PublicKey* key = nullptr;
  // The module a delta bundle applies to; checked against delta_base.
  std::span<const uint8_t> delta_base;
  uint64_t max_wasm_bytes = kMaxWasmBytes;
};

struct Bundle {
  Manifest manifest;
  BundleLayout layout;
  std::vector<uint8_t> wasm;  // decompressed and checked against wasm_bytes and wasm_sha256
};

// Checks magic, lengths, the manifest's schema, the signature, the payload
// length, the frame's content size against wasm_bytes (and the cap), the
// decompressed bytes and their sha256. The error names the first problem
// and where it is, e.g. "truncated: the file ends at byte 40, inside the
// manifest (bytes 8..420)" (ranges are half-open). Messages do not name the
// file: callers prefix its path.
Result<Bundle> ReadBundle(std::span<const uint8_t> bytes, const ReadOptions& options);
// Structure and manifest only (no signature check, no decompression).
Result<std::pair<Manifest, BundleLayout>> InspectBundle(std::span<const uint8_t> bytes);

std::string Sha256Hex(std::span<const uint8_t> bytes);

// --- the release index (dist/index.json) -------------------------------------

struct IndexDelta {
  std::string bundle;  // relative to dist/
  std::string sha256;  // of the .wsb file
  uint64_t bytes = 0;
  std::string base_sha256;  // the module it applies to
};

struct IndexDevice {
  std::string bundle;  // "bundles/<app>-<version>-<variant>.wsb"
  std::string sha256;  // of the .wsb file
  uint64_t bytes = 0;
  std::string variant;
  std::optional<IndexDelta> delta;
};

struct IndexVariant {
  std::vector<std::string> features;
  std::vector<std::string> devices;
};

struct ReleaseIndex {
  std::string app;
  std::string version;
  std::map<std::string, IndexDevice> devices;
  std::map<std::string, IndexVariant> variants;
};

// Sorted keys, two-space indent, trailing newline; deterministic.
std::string IndexJson(const ReleaseIndex& index);

}  // namespace ws::bundle
