// The payload of a bundle: one zstd frame that must declare its size, match
// the manifest, fit the device's caps and window, and decompress (against the
// right base, for a delta) to exactly the module the manifest names.
//
// The output buffer is allocated only after the declared size has been
// checked against the manifest, the cap, and what the compressed bytes could
// possibly expand to, so a few forged bytes cannot make a device allocate
// hundreds of megabytes.
#include <zstd.h>
#include <zstd_errors.h>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/zstd_handles.h"

namespace ws::bundle::internal {
namespace {

constexpr uint32_t kZstdFrameMagic = 0xFD2FB528;
// Frame header descriptor bits (RFC 8878, 3.1.1.1.1).
constexpr uint8_t kSingleSegmentFlag = 0x20;
constexpr uint8_t kChecksumFlag = 0x04;
// No zstd block yields more than 128 KiB, and the cheapest block (RLE: a
// 3-byte header and one byte) costs 4 bytes: the most one payload byte can
// ever become is 32 KiB.
constexpr uint64_t kMaxExpansion = (128u << 10) / 4;

std::string N(uint64_t n) { return std::to_string(n); }

// The window a streaming decoder needs (RFC 8878, 3.1.1.1.2); the one-shot
// decoder used here ignores ZSTD_d_windowLogMax, so the limit is checked by
// hand to refuse what a device with a bounded window could not decode.
uint64_t WindowBytes(std::span<const uint8_t> frame, uint64_t content_bytes) {
  if (frame[4] & kSingleSegmentFlag) return content_bytes;
  uint8_t descriptor = frame[5];
  uint64_t base = uint64_t{1} << (10 + (descriptor >> 3));
  return base + base / 8 * (descriptor & 7);
}

}  // namespace

Result<std::vector<uint8_t>> DecodePayload(std::span<const uint8_t> payload, const Manifest& manifest,
                                           const ReadOptions& options) {
  if (payload.size() < 4 || GetLe(payload, 0, 4) != kZstdFrameMagic)
    return Error{"the payload is not a zstd frame (it does not start with zstd's magic number)"};
  unsigned long long declared = ZSTD_getFrameContentSize(payload.data(), payload.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR)
    return Error{"the payload's zstd frame header is damaged or cut short"};
  if (declared == ZSTD_CONTENTSIZE_UNKNOWN)
    return Error{"the payload's zstd frame does not declare its size"};
  if (declared != manifest.wasm_bytes)
    return Error{"the payload's zstd frame decompresses to " + N(declared) +
                 " bytes, but the manifest says " + N(manifest.wasm_bytes)};
  if (declared > options.max_wasm_bytes)
    return Error{"the module would be " + N(declared) + " bytes, more than the " + N(options.max_wasm_bytes) +
                 " this device accepts: refusing to inflate past the cap"};
  if (declared > payload.size() * kMaxExpansion)
    return Error{"the payload's zstd frame declares " + N(declared) + " bytes, more than its " +
                 N(payload.size()) + " compressed bytes can hold"};
  size_t frame_bytes = ZSTD_findFrameCompressedSize(payload.data(), payload.size());
  if (ZSTD_isError(frame_bytes))
    return Error{std::string("the payload's zstd frame is damaged or cut short: ") +
                 ZSTD_getErrorName(frame_bytes)};
  if (frame_bytes != payload.size())
    return Error{"the payload's zstd frame ends after " + N(frame_bytes) + " of the payload's " +
                 N(payload.size()) + " bytes; a payload is exactly one frame"};
  if (!(payload[4] & kChecksumFlag)) return Error{"the payload's zstd frame has no checksum"};
  uint64_t window = WindowBytes(payload, declared);
  if (window > (uint64_t{1} << kMaxWindowLog))
    return Error{"the payload's zstd frame needs a " + N(window) + "-byte window, more than the " +
                 N(uint64_t{1} << kMaxWindowLog) + " a device decodes with"};

  DCtxPtr dctx(ZSTD_createDCtx());
  if (!dctx) return Error{"zstd: out of memory"};
  size_t rc = ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
  if (ZSTD_isError(rc)) return Error{std::string("zstd: ") + ZSTD_getErrorName(rc)};
  if (manifest.delta_base) {
    if (options.delta_base.empty())
      return Error{"this is a delta bundle; it applies to module " + *manifest.delta_base +
                   ", give the base"};
    std::string given = Sha256Hex(options.delta_base);
    if (given != *manifest.delta_base)
      return Error{"this delta applies to module " + *manifest.delta_base + ", but the base given is " +
                   given};
    rc = ZSTD_DCtx_refPrefix(dctx.get(), options.delta_base.data(), options.delta_base.size());
    if (ZSTD_isError(rc))
      return Error{std::string("zstd: referencing the delta base: ") + ZSTD_getErrorName(rc)};
  }

  std::vector<uint8_t> wasm(declared);
  size_t n = ZSTD_decompressDCtx(dctx.get(), wasm.data(), wasm.size(), payload.data(), payload.size());
  if (ZSTD_isError(n)) {
    if (ZSTD_getErrorCode(n) == ZSTD_error_checksum_wrong)
      return Error{"the payload's zstd checksum does not match: the payload is damaged"};
    return Error{std::string("the payload does not decompress: ") + ZSTD_getErrorName(n)};
  }
  if (n != declared)
    return Error{"the payload decompressed to " + N(n) + " bytes, but its frame declares " + N(declared)};
  std::string sha = Sha256Hex(wasm);
  if (sha != manifest.wasm_sha256)
    return Error{"the decompressed module's sha256 is " + sha + ", but the manifest says " +
                 manifest.wasm_sha256};
  return wasm;
}

}  // namespace ws::bundle::internal
