// Reading a .wsb bundle the way a device does: the container (see
// bundle_structure.cc), then the signature, then the payload. The signature
// is checked before any byte of the payload is decompressed, so a device
// never runs zstd on data nobody signed when it was asked to verify.
#include <sodium.h>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {
namespace {

Status VerifySignature(std::span<const uint8_t> bytes, const internal::Structure& s, const PublicKey& key) {
  if (!s.layout.is_signed) return Error{"the bundle is not signed"};
  if (s.layout.key_id != key.id)
    return Error{"signed by key " + KeyIdHex(s.layout.key_id) + ", but the public key given is " +
                 KeyIdHex(key.id)};
  if (!internal::SodiumReady()) return Error{"libsodium could not start"};
  const uint8_t* signature = bytes.data() + s.layout.signature_offset + kKeyIdBytes;
  if (crypto_sign_verify_detached(signature, bytes.data(), s.signed_bytes, key.bytes.data()) != 0)
    return Error{"the signature does not match: the bundle was changed after signing"};
  return {};
}

}  // namespace

Result<Bundle> ReadBundle(std::span<const uint8_t> bytes, const ReadOptions& options) {
  Result<internal::Structure> s = internal::ReadStructure(bytes);
  if (!s) return s.error();
  if (options.key) {
    if (Status v = VerifySignature(bytes, *s, *options.key); !v) return v.error();
  }
  // A good signature vouches for who wrote the manifest, not for what it says.
  if (Status values = internal::CheckManifestValues(s->manifest); !values) return values.error();
  std::span<const uint8_t> payload = bytes.subspan(s->layout.payload_offset, s->layout.payload_bytes);
  Result<std::vector<uint8_t>> wasm = internal::DecodePayload(payload, s->manifest, options);
  if (!wasm) return wasm.error();
  return Bundle{std::move(s->manifest), s->layout, std::move(*wasm)};
}

}  // namespace ws::bundle
