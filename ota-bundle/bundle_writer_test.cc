#include <gtest/gtest.h>
#include <sys/mman.h>
#include <zstd.h>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"
#include "ota-bundle/test_write.h"

namespace ws::bundle {
namespace {

using testing::TestInputs;
using testing::TestKey;
using testing::TestModule;
using testing::Write;

std::span<const uint8_t> PayloadOf(const std::vector<uint8_t>& bundle) {
  auto inspected = InspectBundle(bundle);
  EXPECT_TRUE(inspected) << inspected.error().message;
  return std::span(bundle).subspan(inspected->second.payload_offset, inspected->second.payload_bytes);
}

TEST(BundleWriterTest, RoundTripsSignedAndUnsignedAtEveryLevel) {
  std::vector<uint8_t> wasm = TestModule(20000);
  SigningKey key = TestKey();
  for (int level : {1, 3, 9, 19, 22}) {
    for (bool long_matching : {false, true}) {
      for (const SigningKey* k :
           {static_cast<const SigningKey*>(nullptr), static_cast<const SigningKey*>(&key)}) {
        BundleInputs in = TestInputs(wasm, k, {}, level);
        in.compression.long_matching = long_matching;
        std::vector<uint8_t> bytes = Write(in);
        ReadOptions options;
        options.key = k ? &key.public_key : nullptr;
        Result<Bundle> b = ReadBundle(bytes, options);
        ASSERT_TRUE(b) << "level " << level << ": " << b.error().message;
        EXPECT_EQ(b->wasm, wasm);
        EXPECT_EQ(b->manifest.level, level);
        EXPECT_EQ(b->manifest.wasm_bytes, wasm.size());
        EXPECT_EQ(b->manifest.wasm_sha256, Sha256Hex(wasm));
        EXPECT_EQ(b->manifest.payload_bytes, b->layout.payload_bytes);
        EXPECT_EQ(b->manifest.delta_base, std::nullopt);
        EXPECT_EQ(b->layout.is_signed, k != nullptr);
        EXPECT_LT(b->layout.payload_bytes, wasm.size() / 2);
      }
    }
  }
}

TEST(BundleWriterTest, LayoutIsTheDocumentedOne) {
  SigningKey key = TestKey();
  std::vector<uint8_t> wasm = TestModule(3000);
  std::vector<uint8_t> bytes = Write(TestInputs(wasm, &key));
  auto inspected = InspectBundle(bytes);
  ASSERT_TRUE(inspected) << inspected.error().message;
  const BundleLayout& l = inspected->second;
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "WSB1");
  EXPECT_EQ(l.manifest_offset, 8u);
  EXPECT_EQ(internal::GetLe(bytes, 4, 4), l.manifest_bytes);
  EXPECT_EQ(std::string(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(l.manifest_bytes)),
            CanonicalJson(inspected->first));
  EXPECT_EQ(l.payload_offset, 8 + l.manifest_bytes + 8);
  EXPECT_EQ(internal::GetLe(bytes, l.payload_offset - 8, 8), l.payload_bytes);
  EXPECT_EQ(l.signature_offset, l.payload_offset + l.payload_bytes + 2);
  EXPECT_EQ(internal::GetLe(bytes, l.signature_offset - 2, 2), 72u);
  EXPECT_EQ(l.signature_bytes, 72u);
  EXPECT_EQ(l.file_bytes, bytes.size());
  EXPECT_EQ(l.signature_offset + 72, bytes.size());
  EXPECT_EQ(l.key_id, key.public_key.id);
  EXPECT_TRUE(
      std::equal(l.key_id.begin(), l.key_id.end(), bytes.begin() + static_cast<long>(l.signature_offset)));

  std::vector<uint8_t> unsigned_bytes = Write(TestInputs(wasm));
  inspected = InspectBundle(unsigned_bytes);
  ASSERT_TRUE(inspected);
  EXPECT_FALSE(inspected->second.is_signed);
  EXPECT_EQ(inspected->second.signature_bytes, 0u);
  EXPECT_EQ(inspected->second.signature_offset, unsigned_bytes.size());
  EXPECT_EQ(internal::GetLe(unsigned_bytes, unsigned_bytes.size() - 2, 2), 0u);
}

TEST(BundleWriterTest, IsDeterministic) {
  SigningKey key = TestKey();
  std::vector<uint8_t> base = TestModule(50000);
  std::vector<uint8_t> wasm = testing::Edited(base, 20000, 300);
  for (bool delta : {false, true}) {
    BundleInputs in =
        TestInputs(wasm, &key, delta ? std::span<const uint8_t>(base) : std::span<const uint8_t>(), 19);
    std::vector<uint8_t> a = Write(in);
    std::vector<uint8_t> wasm_copy = wasm;  // other buffers, same bytes
    in.wasm = wasm_copy;
    std::vector<uint8_t> b = Write(in);
    EXPECT_EQ(a, b);
  }
}

TEST(BundleWriterTest, DeltaRoundTripsAndIsSmall) {
  SigningKey key = TestKey();
  std::vector<uint8_t> base = TestModule(200000, 1);
  std::vector<uint8_t> wasm = testing::Edited(base, 100000, 4096);  // one page changed
  std::vector<uint8_t> full = Write(TestInputs(wasm, &key, {}, 19));
  std::vector<uint8_t> delta = Write(TestInputs(wasm, &key, base, 19));
  EXPECT_LT(delta.size() * 5, full.size()) << delta.size() << " vs " << full.size();

  ReadOptions options;
  options.key = &key.public_key;
  options.delta_base = base;
  Result<Bundle> b = ReadBundle(delta, options);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->wasm, wasm);
  EXPECT_EQ(b->manifest.delta_base, Sha256Hex(base));
  // A full bundle ignores a base it does not need.
  b = ReadBundle(full, options);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->wasm, wasm);
}

TEST(BundleWriterTest, PayloadIsAPlainZstdFrame) {
  std::vector<uint8_t> base = TestModule(30000, 2);
  std::vector<uint8_t> wasm = testing::Edited(base, 1000, 100);
  std::vector<uint8_t> full = Write(TestInputs(wasm));
  std::span<const uint8_t> payload = PayloadOf(full);
  std::vector<uint8_t> out(wasm.size() + 100);
  size_t n = ZSTD_decompress(out.data(), out.size(), payload.data(), payload.size());
  ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(n);
  EXPECT_EQ(out, wasm);
  EXPECT_EQ(ZSTD_getFrameContentSize(payload.data(), payload.size()), wasm.size());

  // A delta's payload is zstd against the base as a raw-content dictionary,
  // what `zstd -d --patch-from=BASE` does.
  std::vector<uint8_t> delta = Write(TestInputs(wasm, nullptr, base));
  payload = PayloadOf(delta);
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  out.assign(wasm.size(), 0);
  n = ZSTD_decompress_usingDict(dctx, out.data(), out.size(), payload.data(), payload.size(), base.data(),
                                base.size());
  ZSTD_freeDCtx(dctx);
  ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  EXPECT_EQ(out, wasm);
}

// Streams the payload through a decoder limited to a 2^window_log window, the
// way a device with little memory would (the one-shot API ignores the limit).
bool StreamsWithin(std::span<const uint8_t> payload, int window_log, std::span<const uint8_t> base,
                   size_t size) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, window_log);
  if (!base.empty()) ZSTD_DCtx_refPrefix(dctx, base.data(), base.size());
  std::vector<uint8_t> out(size);
  ZSTD_inBuffer in{payload.data(), payload.size(), 0};
  size_t produced = 0;
  bool ok = true;
  while (ok) {
    uint8_t chunk[512];
    ZSTD_outBuffer o{chunk, sizeof chunk, 0};
    size_t rc = ZSTD_decompressStream(dctx, &o, &in);
    if (ZSTD_isError(rc) || produced + o.pos > out.size())
      ok = false;
    else
      std::copy_n(chunk, o.pos, out.begin() + static_cast<long>(produced));
    produced += o.pos;
    if (rc == 0) break;
  }
  ZSTD_freeDCtx(dctx);
  return ok && produced == size;
}

TEST(BundleWriterTest, WindowIsTheSmallestThatCoversBaseAndModule) {
  std::vector<uint8_t> base = TestModule(20000, 3);  // 2^15 > 20000
  std::vector<uint8_t> wasm = testing::Edited(base, 0, 50);
  std::vector<uint8_t> full = Write(TestInputs(wasm, nullptr, {}, 19));
  EXPECT_TRUE(StreamsWithin(PayloadOf(full), 15, {}, wasm.size()));
  EXPECT_FALSE(StreamsWithin(PayloadOf(full), 14, {}, wasm.size()));
  std::vector<uint8_t> delta = Write(TestInputs(wasm, nullptr, base, 19));  // 40000 < 2^16
  EXPECT_TRUE(StreamsWithin(PayloadOf(delta), 16, base, wasm.size()));
}

// A span over `bytes` of address space that is never touched: the writer
// must refuse by size before reading.
struct Untouched {
  explicit Untouched(size_t n)
      : size(n), data(mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)) {}
  ~Untouched() { munmap(data, size); }
  std::span<const uint8_t> span() const { return {static_cast<const uint8_t*>(data), size}; }
  size_t size;
  void* data;
};

std::string ErrorOf(const BundleInputs& in) {
  Result<std::vector<uint8_t>> r = WriteBundle(in);
  return r ? "(ok)" : r.error().message;
}

TEST(BundleWriterTest, RefusesWhatCouldNotBeReadBack) {
  std::vector<uint8_t> wasm = TestModule(1000);
  EXPECT_EQ(ErrorOf(TestInputs({})), "the module is empty");
  Untouched huge(kMaxWasmBytes + 1);
  ASSERT_NE(huge.data, MAP_FAILED);
  EXPECT_EQ(ErrorOf(TestInputs(huge.span())),
            "the module is 268435457 bytes; a device accepts at most 268435456");
  EXPECT_EQ(ErrorOf(TestInputs(wasm, nullptr, huge.span())),
            "the delta base is 268435457 bytes; a device holds at most 268435456");
  EXPECT_EQ(ErrorOf(TestInputs(wasm, nullptr, {}, 0)), "compression level 0 is outside zstd's 1..22");
  EXPECT_EQ(ErrorOf(TestInputs(wasm, nullptr, {}, 23)), "compression level 23 is outside zstd's 1..22");

  BundleInputs in = TestInputs(wasm);
  in.manifest.app = "bad \xff utf-8";
  EXPECT_EQ(ErrorOf(in), "the manifest would not read back: a string in it is not valid UTF-8");
  in = TestInputs(wasm);
  in.manifest.toolchain = std::string(internal::kMaxManifestBytes, 'x');
  EXPECT_EQ(ErrorOf(in).substr(0, 26), "the manifest would be 1048");
  in = TestInputs(wasm);
  in.manifest.variant = "../../etc/passwd";
  EXPECT_EQ(ErrorOf(in).rfind("manifest: \"variant\" is \"../../etc/passwd\"; a variant is a plain name", 0), 0u);

  SigningKey key = TestKey();
  key.public_key = TestKey(2).public_key;
  EXPECT_EQ(ErrorOf(TestInputs(wasm, &key)),
            "the signing key is inconsistent: its public half or key id does not match its secret key");
}

TEST(BundleWriterTest, FillsInWhatItOwns) {
  std::vector<uint8_t> wasm = TestModule(500);
  BundleInputs in = TestInputs(wasm);
  in.manifest.format = "something";
  in.manifest.codec = "br";
  in.manifest.wasm_sha256 = "x";
  in.manifest.delta_base = "y";
  std::vector<uint8_t> bytes = Write(in);
  Result<Bundle> b = ReadBundle(bytes, {});
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->manifest.format, "wsb1");
  EXPECT_EQ(b->manifest.codec, "zstd");
  EXPECT_EQ(b->manifest.app, "catalog");
  EXPECT_EQ(b->manifest.devices, testing::TestManifest().devices);
  EXPECT_EQ(b->manifest.created, 1700000000);
  EXPECT_EQ(b->manifest.delta_base, std::nullopt);
}

}  // namespace
}  // namespace ws::bundle
