// Writing .wsb bundles: compress the module into one zstd frame (against the
// base module for a delta), describe it in the canonical manifest, sign.
//
// Everything here is chosen so that the same inputs give the same bytes
// (single-threaded zstd with every parameter pinned, no clocks, no random
// nonces: Ed25519 signatures are deterministic) and so that what is written
// always reads back: inputs the reader would refuse are refused here first.
#include <sodium.h>

#include <algorithm>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/zstd_handles.h"

namespace ws::bundle {
namespace {

Error ZstdError(const char* what, size_t code) {
  return Error{std::string("zstd: ") + what + ": " + ZSTD_getErrorName(code)};
}

// The smallest window that covers the base and the module: matches may reach
// anywhere in both, while a device never needs more memory than that. The cap
// keeps the frame decodable by a stock `zstd -d` and a bounded device window.
int WindowLogFor(uint64_t bytes) {
  int log = internal::kMinWindowLog;
  while (log < internal::kMaxWindowLog && (uint64_t{1} << log) < bytes) ++log;
  return log;
}

Result<std::vector<uint8_t>> Compress(std::span<const uint8_t> wasm, std::span<const uint8_t> base,
                                      const Compression& compression) {
  internal::CCtxPtr cctx(ZSTD_createCCtx());
  if (!cctx) return Error{"zstd: out of memory"};
  // At level 16+ with a 128 MiB window zstd turns long matching on by itself;
  // "off" must then be said explicitly (ZSTD_ps_disable, 2, where the
  // library knows it; older libraries took 0 for off).
  ZSTD_bounds ldm_bounds = ZSTD_cParam_getBounds(ZSTD_c_enableLongDistanceMatching);
  int ldm_off = !ZSTD_isError(ldm_bounds.error) && ldm_bounds.upperBound >= 2 ? 2 : 0;
  const std::pair<ZSTD_cParameter, int> params[] = {
      {ZSTD_c_compressionLevel, compression.level},
      {ZSTD_c_enableLongDistanceMatching, compression.long_matching ? 1 : ldm_off},
      {ZSTD_c_windowLog, WindowLogFor(uint64_t{base.size()} + wasm.size())},
      {ZSTD_c_contentSizeFlag, 1},
      {ZSTD_c_checksumFlag, 1},
      {ZSTD_c_nbWorkers, 0},
  };
  for (const auto& [param, value] : params) {
    size_t rc = ZSTD_CCtx_setParameter(cctx.get(), param, value);
    if (ZSTD_isError(rc)) return ZstdError("setting a compression parameter", rc);
  }
  if (!base.empty()) {
    size_t rc = ZSTD_CCtx_refPrefix(cctx.get(), base.data(), base.size());
    if (ZSTD_isError(rc)) return ZstdError("referencing the delta base", rc);
  }
  std::vector<uint8_t> out(ZSTD_compressBound(wasm.size()));
  size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), wasm.data(), wasm.size());
  if (ZSTD_isError(n)) return ZstdError("compressing the module", n);
  out.resize(n);
  return out;
}

Status CheckKey(const SigningKey& key) {
  bool halves_match =
      std::equal(key.public_key.bytes.begin(), key.public_key.bytes.end(), key.secret.begin() + 32);
  if (!halves_match || key.public_key.id != internal::KeyIdOf(key.public_key.bytes))
    return Error{"the signing key is inconsistent: its public half or key id does not match its secret key"};
  return {};
}

}  // namespace

namespace internal {

std::vector<uint8_t> AssembleBundle(std::string_view manifest_json, std::span<const uint8_t> payload,
                                    const SigningKey* key) {
  std::vector<uint8_t> out;
  out.reserve(kMagic.size() + 4 + manifest_json.size() + 8 + payload.size() + 2 + kSigBlockBytes);
  out.insert(out.end(), kMagic.begin(), kMagic.end());
  PutLe(out, manifest_json.size(), 4);
  out.insert(out.end(), manifest_json.begin(), manifest_json.end());
  PutLe(out, payload.size(), 8);
  out.insert(out.end(), payload.begin(), payload.end());
  PutLe(out, key ? kSigBlockBytes : 0, 2);
  if (key) {
    SodiumReady();
    out.insert(out.end(), key->public_key.id.begin(), key->public_key.id.end());
    // The key id is signed too, so it cannot be swapped to point a verifier
    // at another key.
    std::array<uint8_t, kSignatureBytes> signature{};
    crypto_sign_detached(signature.data(), nullptr, out.data(), out.size(), key->secret.data());
    out.insert(out.end(), signature.begin(), signature.end());
  }
  return out;
}

}  // namespace internal

Result<std::vector<uint8_t>> WriteBundle(const BundleInputs& inputs) {
  if (inputs.wasm.empty()) return Error{"the module is empty"};
  if (inputs.wasm.size() > kMaxWasmBytes)
    return Error{"the module is " + std::to_string(inputs.wasm.size()) + " bytes; a device accepts at most " +
                 std::to_string(kMaxWasmBytes)};
  if (inputs.delta_base.size() > kMaxWasmBytes)
    return Error{"the delta base is " + std::to_string(inputs.delta_base.size()) +
                 " bytes; a device holds at most " + std::to_string(kMaxWasmBytes)};
  const Compression& compression = inputs.compression;
  if (compression.level < 1 || compression.level > ZSTD_maxCLevel())
    return Error{"compression level " + std::to_string(compression.level) + " is outside zstd's 1.." +
                 std::to_string(ZSTD_maxCLevel())};
  if (inputs.key) {
    if (!internal::SodiumReady()) return Error{"libsodium could not start"};
    if (Status s = CheckKey(*inputs.key); !s) return s.error();
  }

  Manifest m = inputs.manifest;
  m.format = "wsb1";
  m.codec = "zstd";
  m.level = compression.level;
  m.wasm_bytes = inputs.wasm.size();
  m.wasm_sha256 = Sha256Hex(inputs.wasm);
  m.delta_base = inputs.delta_base.empty() ? std::nullopt : std::optional(Sha256Hex(inputs.delta_base));
  Result<std::vector<uint8_t>> payload = Compress(inputs.wasm, inputs.delta_base, compression);
  if (!payload) return payload.error();
  m.payload_bytes = payload->size();

  std::string json = CanonicalJson(m);
  if (json.size() > internal::kMaxManifestBytes)
    return Error{"the manifest would be " + std::to_string(json.size()) + " bytes; a bundle's is at most " +
                 std::to_string(internal::kMaxManifestBytes)};
  if (Status values = internal::CheckManifestValues(m); !values) return values.error();
  Result<Manifest> back = ParseManifest(json);
  if (!back) return Error{"the manifest would not read back: " + back.error().message};
  if (!(*back == m)) return Error{"the manifest would not read back: a string in it is not valid UTF-8"};
  return internal::AssembleBundle(json, *payload, inputs.key);
}

}  // namespace ws::bundle
