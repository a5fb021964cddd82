// libFuzzer target: ReadBundle (without a key, with the seeds' key, with and
// without their delta base), InspectBundle and ParseManifest on any bytes,
// under AddressSanitizer. Built with clang-19 -fsanitize=fuzzer,address;
// `ctest` runs it briefly (BundleReaderFuzzer.Brief), bench/fuzz for long.
// Seeds: testdata/fuzz_seeds (make_fuzz_seeds.cc).
//
// Raw mutations of a bundle mostly stop at its manifest (one changed byte
// makes it non-canonical), so the input is also read as a payload inside a
// well-formed container: that is what fuzzes the zstd frame checks.
#include <zstd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"

namespace {

using namespace ws::bundle;

// A small cap keeps each run fast; the cap's own check is still reached.
constexpr uint64_t kFuzzCap = 1 << 20;

void ReadAsBundle(std::span<const uint8_t> bytes, const SigningKey& key, std::span<const uint8_t> base) {
  ReadOptions plain;
  plain.max_wasm_bytes = kFuzzCap;
  (void)ReadBundle(bytes, plain);
  ReadOptions verified = plain;
  verified.key = &key.public_key;
  verified.delta_base = base;
  (void)ReadBundle(bytes, verified);
  ReadOptions with_base = plain;
  with_base.delta_base = base;
  auto read = ReadBundle(bytes, with_base);
  auto inspected = InspectBundle(bytes);
  // Whatever reads must also inspect, and agree on the manifest.
  if (read && (!inspected || !(inspected->first == read->manifest))) __builtin_trap();
}

void ReadAsPayload(std::span<const uint8_t> bytes, std::span<const uint8_t> base) {
  // libzstd is not instrumented, so no coverage leads the fuzzer to its magic
  // number: supply it, and every input is a frame to check.
  static constexpr uint8_t kFrameMagic[] = {0x28, 0xB5, 0x2F, 0xFD};
  std::vector<uint8_t> framed;
  if (bytes.size() < 4 || !std::equal(kFrameMagic, kFrameMagic + 4, bytes.begin())) {
    framed.assign(kFrameMagic, kFrameMagic + 4);
    framed.insert(framed.end(), bytes.begin(), bytes.end());
    bytes = framed;
  }
  std::span<const uint8_t> payload = bytes;
  Manifest m = testing::TestManifest();
  m.level = 3;
  m.payload_bytes = payload.size();
  // Agree with the frame's declared size when it has one, so decompression
  // is reached; the hash cannot be known and is checked last anyway.
  unsigned long long declared = ZSTD_getFrameContentSize(payload.data(), payload.size());
  m.wasm_bytes = declared < kFuzzCap ? declared : payload.size();
  m.wasm_sha256 = std::string(64, '0');
  if (!payload.empty() && (payload.back() & 1)) m.delta_base = Sha256Hex(base);
  std::vector<uint8_t> bundle = internal::AssembleBundle(CanonicalJson(m), payload, nullptr);
  ReadOptions options;
  options.max_wasm_bytes = kFuzzCap;
  options.delta_base = base;
  ws::Result<Bundle> read = ReadBundle(bundle, options);
  if (read) __builtin_trap();  // the all-zero hash cannot match
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const SigningKey key = testing::TestKey();
  static const std::vector<uint8_t> base = testing::FuzzBase();
  std::span<const uint8_t> bytes(data, size);
  ReadAsBundle(bytes, key, base);
  ReadAsPayload(bytes, base);
  (void)ParseManifest(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
