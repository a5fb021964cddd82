// The container of a .wsb bundle, walked field by field with every length
// checked against the file before it is used: a truncated or corrupt file
// gets the name of the part where it goes wrong, never a read past its end,
// and no length is trusted for an allocation. Shared by ReadBundle and
// InspectBundle.
#include <algorithm>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::bundle {
namespace {

using internal::kMagic;
using internal::kSigBlockBytes;

// Fails with a "truncated" message unless [begin, begin + length) lies in
// the file. `begin` is never past the end here (parts are walked in order)
// and lengths are capped before they get here, so nothing overflows.
Status Need(std::span<const uint8_t> bytes, std::string_view part, uint64_t begin, uint64_t length) {
  if (length <= bytes.size() - begin) return {};
  return Error{"truncated: the file ends at byte " + std::to_string(bytes.size()) +
               (bytes.size() == begin ? ", before the " : ", inside the ") + std::string(part) + " (bytes " +
               std::to_string(begin) + ".." + std::to_string(begin + length) + ")"};
}

}  // namespace

namespace internal {

Result<Structure> ReadStructure(std::span<const uint8_t> bytes) {
  size_t magic_seen = std::min(bytes.size(), kMagic.size());
  if (!std::equal(bytes.begin(), bytes.begin() + static_cast<long>(magic_seen), kMagic.begin()))
    return Error{"not a wasmship bundle: it starts with bytes " + Hex(bytes.first(magic_seen)) +
                 ", not \"WSB1\""};
  if (Status s = Need(bytes, "magic \"WSB1\"", 0, kMagic.size()); !s) return s.error();

  Structure out;
  BundleLayout& layout = out.layout;
  layout.file_bytes = bytes.size();
  if (Status s = Need(bytes, "manifest length", 4, 4); !s) return s.error();
  layout.manifest_offset = 8;
  layout.manifest_bytes = GetLe(bytes, 4, 4);
  if (layout.manifest_bytes > kMaxManifestBytes)
    return Error{"the manifest length field says " + std::to_string(layout.manifest_bytes) +
                 " bytes, more than the " + std::to_string(kMaxManifestBytes) + " a manifest may have"};
  if (Status s = Need(bytes, "manifest", layout.manifest_offset, layout.manifest_bytes); !s) return s.error();
  std::string_view json(reinterpret_cast<const char*>(bytes.data() + layout.manifest_offset),
                        layout.manifest_bytes);
  Result<Manifest> manifest = ParseManifest(json);
  if (!manifest) return manifest.error();
  out.manifest = std::move(*manifest);

  uint64_t length_offset = layout.manifest_offset + layout.manifest_bytes;
  if (Status s = Need(bytes, "payload length", length_offset, 8); !s) return s.error();
  layout.payload_offset = length_offset + 8;
  layout.payload_bytes = GetLe(bytes, length_offset, 8);
  if (layout.payload_bytes != out.manifest.payload_bytes)
    return Error{"the payload length field says " + std::to_string(layout.payload_bytes) +
                 " bytes, but the manifest's payload_bytes is " + std::to_string(out.manifest.payload_bytes)};
  if (layout.payload_bytes > kMaxPayloadBytes)
    return Error{"the payload length field says " + std::to_string(layout.payload_bytes) +
                 " bytes, more than any bundle's payload can be (" + std::to_string(kMaxPayloadBytes) + ")"};
  if (Status s = Need(bytes, "payload", layout.payload_offset, layout.payload_bytes); !s) return s.error();

  uint64_t sig_len_offset = layout.payload_offset + layout.payload_bytes;
  if (Status s = Need(bytes, "signature length", sig_len_offset, 2); !s) return s.error();
  layout.signature_offset = sig_len_offset + 2;
  layout.signature_bytes = GetLe(bytes, sig_len_offset, 2);
  if (layout.signature_bytes != 0 && layout.signature_bytes != kSigBlockBytes)
    return Error{"the signature length field says " + std::to_string(layout.signature_bytes) +
                 " bytes; it must be 0 (unsigned) or 72 (8-byte key id and 64-byte Ed25519 signature)"};
  layout.is_signed = layout.signature_bytes == kSigBlockBytes;
  if (layout.is_signed) {
    if (Status s = Need(bytes, "signature block", layout.signature_offset, kSigBlockBytes); !s)
      return s.error();
    std::copy_n(bytes.begin() + static_cast<long>(layout.signature_offset), kKeyIdBytes,
                layout.key_id.begin());
    out.signed_bytes = layout.signature_offset + kKeyIdBytes;
  }
  uint64_t end = layout.signature_offset + layout.signature_bytes;
  if (end != bytes.size())
    return Error{"the file goes on for " + std::to_string(bytes.size() - end) +
                 " bytes after the bundle ends at byte " + std::to_string(end) + " (after its " +
                 (layout.is_signed ? "signature block)" : "signature length; it is unsigned)")};
  return out;
}

}  // namespace internal

Result<std::pair<Manifest, BundleLayout>> InspectBundle(std::span<const uint8_t> bytes) {
  Result<internal::Structure> s = internal::ReadStructure(bytes);
  if (!s) return s.error();
  return std::pair(std::move(s->manifest), s->layout);
}

}  // namespace ws::bundle
