#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>

#include "ota-bundle/internal.h"
#include "ota-bundle/ota_bundle.h"
#include "ota-bundle/test_support.h"
#include "ota-bundle/test_write.h"

namespace ws::bundle {
namespace {

using testing::TestKey;
using testing::TestModule;
using testing::Write;

std::string ErrorOf(std::span<const uint8_t> bytes, const ReadOptions& options = {}) {
  Result<Bundle> b = ReadBundle(bytes, options);
  return b ? "(ok)" : b.error().message;
}

std::string InspectError(std::span<const uint8_t> bytes) {
  auto r = InspectBundle(bytes);
  return r ? "(ok)" : r.error().message;
}

ReadOptions WithKey(const PublicKey& key) {
  ReadOptions options;
  options.key = &key;
  return options;
}

std::vector<uint8_t> ZstdFrame(std::span<const uint8_t> wasm, bool content_size = true,
                               bool checksum = true) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, content_size ? 1 : 0);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::vector<uint8_t> out(ZSTD_compressBound(wasm.size()));
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), wasm.data(), wasm.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

// A bundle put together by hand around `payload`: the manifest describes
// `wasm` and then `edit` makes it lie; the signature (if any) is good, so the
// check that fails is the one the test is about.
std::vector<uint8_t> HandMade(std::span<const uint8_t> payload, std::span<const uint8_t> wasm,
                              const SigningKey* key, void (*edit)(Manifest&) = nullptr) {
  Manifest m = testing::TestManifest();
  m.level = 3;
  m.wasm_bytes = wasm.size();
  m.wasm_sha256 = Sha256Hex(wasm);
  m.payload_bytes = payload.size();
  if (edit) edit(m);
  return internal::AssembleBundle(CanonicalJson(m), payload, key);
}

// A 4-byte RLE block of `size` bytes of 'A' as the whole frame, with the
// header flags and window descriptor given.
std::vector<uint8_t> RleFrame(uint8_t descriptor, std::vector<uint8_t> window_and_size, uint32_t size) {
  std::vector<uint8_t> frame = {0x28, 0xB5, 0x2F, 0xFD, descriptor};
  frame.insert(frame.end(), window_and_size.begin(), window_and_size.end());
  uint32_t block = 1 | (1 << 1) | (size << 3);  // last block, RLE
  frame.insert(frame.end(), {uint8_t(block), uint8_t(block >> 8), uint8_t(block >> 16), 'A'});
  frame.insert(frame.end(), {0, 0, 0, 0});  // checksum: never reached
  return frame;
}

class BundleReaderTest : public ::testing::Test {
 protected:
  SigningKey key_ = TestKey();
  std::vector<uint8_t> wasm_ = TestModule(300);
  std::vector<uint8_t> base_ = TestModule(300, 9);
  std::vector<uint8_t> signed_ = Write(testing::TestInputs(wasm_, &key_));
  std::vector<uint8_t> unsigned_ = Write(testing::TestInputs(wasm_));
  std::vector<uint8_t> delta_ = Write(testing::TestInputs(wasm_, &key_, base_));
  BundleLayout layout_ = InspectBundle(signed_)->second;
};

TEST_F(BundleReaderTest, EveryTruncationIsReportedAsSuch) {
  for (const std::vector<uint8_t>* bundle : {&signed_, &unsigned_, &delta_}) {
    ReadOptions options = WithKey(key_.public_key);
    if (bundle == &unsigned_) options.key = nullptr;
    options.delta_base = base_;
    ASSERT_EQ(ErrorOf(*bundle, options), "(ok)");
    for (size_t cut = 0; cut < bundle->size(); ++cut) {
      std::span<const uint8_t> part = std::span(*bundle).first(cut);
      EXPECT_TRUE(
          ErrorOf(part, options).starts_with("truncated: the file ends at byte " + std::to_string(cut)))
          << cut << ": " << ErrorOf(part, options);
      EXPECT_TRUE(ErrorOf(part).starts_with("truncated: ")) << cut;
      EXPECT_TRUE(InspectError(part).starts_with("truncated: ")) << cut;
    }
  }
}

TEST_F(BundleReaderTest, TruncationNamesThePartThatIsCut) {
  const BundleLayout& l = layout_;
  auto cut = [&](uint64_t n) { return ErrorOf(std::span(signed_).first(n)); };
  std::string m = std::to_string(l.manifest_bytes + 8), p = std::to_string(l.payload_offset),
              s = std::to_string(l.signature_offset);
  EXPECT_EQ(cut(0), "truncated: the file ends at byte 0, before the magic \"WSB1\" (bytes 0..4)");
  EXPECT_EQ(cut(3), "truncated: the file ends at byte 3, inside the magic \"WSB1\" (bytes 0..4)");
  EXPECT_EQ(cut(6), "truncated: the file ends at byte 6, inside the manifest length (bytes 4..8)");
  EXPECT_EQ(cut(40), "truncated: the file ends at byte 40, inside the manifest (bytes 8.." + m + ")");
  EXPECT_EQ(cut(l.manifest_bytes + 8), "truncated: the file ends at byte " + m +
                                           ", before the payload length (bytes " + m + ".." + p + ")");
  EXPECT_EQ(cut(l.payload_offset + 1), "truncated: the file ends at byte " +
                                           std::to_string(l.payload_offset + 1) +
                                           ", inside the payload (bytes " + p + ".." +
                                           std::to_string(l.payload_offset + l.payload_bytes) + ")");
  EXPECT_EQ(cut(l.signature_offset - 1), "truncated: the file ends at byte " +
                                             std::to_string(l.signature_offset - 1) +
                                             ", inside the signature length (bytes " +
                                             std::to_string(l.signature_offset - 2) + ".." + s + ")");
  EXPECT_EQ(cut(l.signature_offset + 10), "truncated: the file ends at byte " +
                                              std::to_string(l.signature_offset + 10) +
                                              ", inside the signature block (bytes " + s + ".." +
                                              std::to_string(l.signature_offset + 72) + ")");
}

TEST_F(BundleReaderTest, RejectsBadContainers) {
  std::vector<uint8_t> bytes = {0x7f, 'E', 'L', 'F', 1, 2};
  EXPECT_EQ(ErrorOf(bytes), "not a wasmship bundle: it starts with bytes 7f454c46, not \"WSB1\"");
  EXPECT_EQ(ErrorOf(std::vector<uint8_t>{'W', 'X'}),
            "not a wasmship bundle: it starts with bytes 5758, not \"WSB1\"");

  bytes = signed_;
  bytes.push_back(0);
  std::string end = std::to_string(signed_.size());
  EXPECT_EQ(ErrorOf(bytes), "the file goes on for 1 bytes after the bundle ends at byte " + end +
                                " (after its signature block)");
  EXPECT_EQ(InspectError(bytes), ErrorOf(bytes));
  bytes = unsigned_;
  bytes.insert(bytes.end(), {1, 2, 3});
  EXPECT_EQ(ErrorOf(bytes), "the file goes on for 3 bytes after the bundle ends at byte " +
                                std::to_string(unsigned_.size()) +
                                " (after its signature length; it is unsigned)");

  bytes = signed_;
  bytes[4] = 0xff, bytes[5] = 0xff, bytes[6] = 0xff, bytes[7] = 0x7f;
  EXPECT_EQ(ErrorOf(bytes),
            "the manifest length field says 2147483647 bytes, more than the 1048576 a manifest may have");

  bytes = signed_;
  bytes[layout_.payload_offset - 8] ^= 1;
  EXPECT_EQ(ErrorOf(bytes), "the payload length field says " + std::to_string(layout_.payload_bytes ^ 1) +
                                " bytes, but the manifest's payload_bytes is " +
                                std::to_string(layout_.payload_bytes));

  bytes = signed_;
  bytes[layout_.signature_offset - 2] = 5;
  EXPECT_EQ(
      ErrorOf(bytes),
      "the signature length field says 5 bytes; it must be 0 (unsigned) or 72 (8-byte key id and 64-byte "
      "Ed25519 signature)");
}

TEST_F(BundleReaderTest, ManifestProblemsComeFromTheManifestParser) {
  std::vector<uint8_t> payload = ZstdFrame(wasm_);
  std::vector<uint8_t> bytes = internal::AssembleBundle("not json at all", payload, &key_);
  EXPECT_EQ(ErrorOf(bytes, WithKey(key_.public_key)),
            "manifest: not JSON: parse error at line 1, column 2: syntax error while parsing value - invalid "
            "literal; last read: 'no'");
  std::string json = CanonicalJson(InspectBundle(signed_)->first);
  std::string missing = json;
  missing.erase(missing.find(",\"toolchain\""),
                missing.find(",\"variant\"") - missing.find(",\"toolchain\""));
  bytes = internal::AssembleBundle(missing, payload, &key_);
  EXPECT_EQ(ErrorOf(bytes, WithKey(key_.public_key)), "manifest: missing key \"toolchain\"");
  std::string spaced = json;
  spaced.insert(1, " ");
  bytes = internal::AssembleBundle(spaced, payload, &key_);
  EXPECT_EQ(ErrorOf(bytes, WithKey(key_.public_key)),
            "manifest: not in canonical form (sorted keys, no whitespace, shortest escapes, as CanonicalJson "
            "writes "
            "it): it differs from the canonical form at byte 1");
}

TEST_F(BundleReaderTest, SignatureChecks) {
  const std::string changed = "the signature does not match: the bundle was changed after signing";
  ReadOptions options = WithKey(key_.public_key);
  EXPECT_EQ(ErrorOf(signed_, options), "(ok)");
  EXPECT_EQ(ErrorOf(unsigned_, options), "the bundle is not signed");

  SigningKey other = TestKey(2);
  EXPECT_EQ(ErrorOf(signed_, WithKey(other.public_key)), "signed by key " + KeyIdHex(key_.public_key.id) +
                                                             ", but the public key given is " +
                                                             KeyIdHex(other.public_key.id));

  // One byte of the manifest (a letter of the app's name: still valid JSON).
  std::vector<uint8_t> bytes = signed_;
  size_t app = 8 + CanonicalJson(InspectBundle(signed_)->first).find("catalog");
  bytes[app] = 'd';
  EXPECT_EQ(ErrorOf(bytes, options), changed);
  Result<Bundle> unverified = ReadBundle(bytes, {});  // without a key, nothing covers the name
  ASSERT_TRUE(unverified);
  EXPECT_EQ(unverified->manifest.app, "datalog");

  bytes = signed_;
  bytes[layout_.payload_offset + layout_.payload_bytes / 2] ^= 0x10;
  EXPECT_EQ(ErrorOf(bytes, options), changed);
  bytes = signed_;
  bytes[bytes.size() - 1] ^= 1;
  EXPECT_EQ(ErrorOf(bytes, options), changed);
  bytes = signed_;
  bytes[layout_.signature_offset + 3] ^= 1;
  std::array<uint8_t, kKeyIdBytes> flipped_id = key_.public_key.id;
  flipped_id[3] ^= 1;
  EXPECT_EQ(ErrorOf(bytes, options), "signed by key " + KeyIdHex(flipped_id) +
                                         ", but the public key given is " + KeyIdHex(key_.public_key.id));
  // The sig_len field itself is signed too: stripping the signature does not help.
  bytes = signed_;
  bytes.resize(layout_.signature_offset);
  bytes[bytes.size() - 2] = 0;
  EXPECT_EQ(ErrorOf(bytes, options), "the bundle is not signed");

  // Another key's signature under this key's id.
  SigningKey impostor = other;
  impostor.public_key.id = key_.public_key.id;
  bytes = HandMade(ZstdFrame(wasm_), wasm_, &impostor);
  EXPECT_EQ(ErrorOf(bytes, options), changed);
}

TEST_F(BundleReaderTest, SignedManifestValuesAreCheckedLikeADevice) {
  // A good signature says who wrote the manifest, not that a device can use it.
  ReadOptions options = WithKey(key_.public_key);
  std::vector<uint8_t> frame = ZstdFrame(wasm_);
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_), options), "(ok)");
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_, [](Manifest& m) { m.host_abi = 0; }), options),
            "manifest: \"host_abi\" is 0; this host implements host ABI 1");
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_, [](Manifest& m) { m.features.push_back("teleport"); }), options)
                .rfind("manifest: \"features\" has \"teleport\", which is not a wasm feature this host knows (simd", 0),
            0u);
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_, [](Manifest& m) { m.variant = "../../etc/passwd"; }), options),
            "manifest: \"variant\" is \"../../etc/passwd\"; a variant is a plain name of a-z, 0-9, '-' and '_' "
            "(it becomes part of file names)");
  // Without a key too: nothing a device would refuse gets through.
  EXPECT_NE(ErrorOf(HandMade(frame, wasm_, nullptr, [](Manifest& m) { m.variant = "A/B"; })), "(ok)");
}

TEST_F(BundleReaderTest, DamagedPayloadWithoutAKey) {
  std::vector<uint8_t> bytes = unsigned_;
  bytes[layout_.payload_offset + layout_.payload_bytes - 1] ^= 1;  // the frame's checksum
  EXPECT_EQ(ErrorOf(bytes), "the payload's zstd checksum does not match: the payload is damaged");
  bytes = unsigned_;
  bytes[layout_.payload_offset + layout_.payload_bytes / 2] ^= 0x10;
  EXPECT_TRUE(ErrorOf(bytes).starts_with("the payload")) << ErrorOf(bytes);
  bytes = unsigned_;
  bytes[layout_.payload_offset] ^= 1;
  EXPECT_EQ(ErrorOf(bytes), "the payload is not a zstd frame (it does not start with zstd's magic number)");

  // A wrong hash in the manifest (still lowercase hex).
  size_t sha = 8 + CanonicalJson(InspectBundle(unsigned_)->first).find(Sha256Hex(wasm_));
  bytes = unsigned_;
  bytes[sha] = bytes[sha] == '0' ? '1' : '0';
  std::string claimed(bytes.begin() + static_cast<long>(sha), bytes.begin() + static_cast<long>(sha) + 64);
  EXPECT_EQ(ErrorOf(bytes),
            "the decompressed module's sha256 is " + Sha256Hex(wasm_) + ", but the manifest says " + claimed);
}

TEST_F(BundleReaderTest, PayloadChecksAgainstTheManifest) {
  ReadOptions options = WithKey(key_.public_key);
  std::vector<uint8_t> frame = ZstdFrame(wasm_);
  ASSERT_EQ(ErrorOf(HandMade(frame, wasm_, &key_), options), "(ok)");

  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_, [](Manifest& m) { m.wasm_bytes += 1; }), options),
            "the payload's zstd frame decompresses to 300 bytes, but the manifest says 301");
  EXPECT_EQ(ErrorOf(HandMade(ZstdFrame(wasm_, false), wasm_, &key_), options),
            "the payload's zstd frame does not declare its size");
  EXPECT_EQ(ErrorOf(HandMade(ZstdFrame(wasm_, true, false), wasm_, &key_), options),
            "the payload's zstd frame has no checksum");
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_, [](Manifest& m) { m.wasm_sha256 = std::string(64, '0'); }),
                    options),
            "the decompressed module's sha256 is " + Sha256Hex(wasm_) + ", but the manifest says " +
                std::string(64, '0'));

  ReadOptions capped = options;
  capped.max_wasm_bytes = 299;
  EXPECT_EQ(ErrorOf(HandMade(frame, wasm_, &key_), capped),
            "the module would be 300 bytes, more than the 299 this device accepts: refusing to inflate past "
            "the cap");

  std::vector<uint8_t> two = frame;
  two.insert(two.end(), frame.begin(), frame.end());
  EXPECT_EQ(ErrorOf(HandMade(two, wasm_, &key_), options),
            "the payload's zstd frame ends after " + std::to_string(frame.size()) + " of the payload's " +
                std::to_string(two.size()) + " bytes; a payload is exactly one frame");
  std::vector<uint8_t> cut(frame.begin(), frame.end() - 5);
  EXPECT_EQ(ErrorOf(HandMade(cut, wasm_, &key_), options),
            "the payload's zstd frame is damaged or cut short: Src size is incorrect");
  std::vector<uint8_t> skippable = {0x50, 0x2A, 0x4D, 0x18, 0, 0, 0, 0};
  EXPECT_EQ(ErrorOf(HandMade(skippable, {}, &key_), options),
            "the payload is not a zstd frame (it does not start with zstd's magic number)");
  std::vector<uint8_t> header_only = {0x28, 0xB5, 0x2F, 0xFD};
  EXPECT_EQ(ErrorOf(HandMade(header_only, wasm_, &key_), options),
            "the payload's zstd frame header is damaged or cut short");
}

TEST_F(BundleReaderTest, RefusesFramesADeviceCouldNotDecode) {
  ReadOptions options = WithKey(key_.public_key);
  // Not single-segment, a 2^28 window (exponent 18), 2-byte content size 300.
  std::vector<uint8_t> wide = RleFrame(0x44, {18 << 3, 300 - 256, 0}, 300);
  std::vector<uint8_t> module(300, 'A');
  EXPECT_EQ(ErrorOf(HandMade(wide, module, &key_), options),
            "the payload's zstd frame needs a 268435456-byte window, more than the 134217728 a device "
            "decodes with");
  // Single segment, 4-byte content size: 100 MB claimed by a 17-byte frame.
  uint32_t claimed = 100000000;
  std::vector<uint8_t> bomb = RleFrame(
      0xA4, {uint8_t(claimed), uint8_t(claimed >> 8), uint8_t(claimed >> 16), uint8_t(claimed >> 24)}, 300);
  std::vector<uint8_t> bytes = HandMade(bomb, module, &key_, [](Manifest& m) { m.wasm_bytes = 100000000; });
  EXPECT_EQ(ErrorOf(bytes, options),
            "the payload's zstd frame declares 100000000 bytes, more than its 17 compressed bytes can hold");
}

TEST_F(BundleReaderTest, APayloadThatInflatesPastItsDeclaredSizeIsRefused) {
  ReadOptions options = WithKey(key_.public_key);
  // Single segment, 2-byte content size 300, but its one RLE block makes 400.
  std::vector<uint8_t> longer = RleFrame(0x64, {300 - 256, 0}, 400);
  std::vector<uint8_t> module(300, 'A');
  std::string error = ErrorOf(HandMade(longer, module, &key_), options);
  EXPECT_EQ(error.rfind("the payload does not decompress: ", 0), 0u) << error;
}

TEST_F(BundleReaderTest, DeltaBundlesNeedTheirBase) {
  ReadOptions options = WithKey(key_.public_key);
  std::string base_sha = Sha256Hex(base_);
  EXPECT_EQ(ErrorOf(delta_, options),
            "this is a delta bundle; it applies to module " + base_sha + ", give the base");
  std::vector<uint8_t> wrong = TestModule(300, 10);
  options.delta_base = wrong;
  EXPECT_EQ(ErrorOf(delta_, options),
            "this delta applies to module " + base_sha + ", but the base given is " + Sha256Hex(wrong));
  options.delta_base = base_;
  Result<Bundle> b = ReadBundle(delta_, options);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->wasm, wasm_);
}

TEST(FuzzSeedsTest, CommittedSeedsAreValidBundles) {
  SigningKey key = TestKey();
  std::vector<uint8_t> base = testing::FuzzBase();
  ReadOptions options;
  options.delta_base = base;
  int seen = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(WASMSHIP_SOURCE_DIR "/ota-bundle/testdata/fuzz_seeds")) {
    if (entry.path().extension() != ".wsb") continue;  // the .zst files are bare payloads
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Result<Bundle> b = ReadBundle(bytes, options);
    ASSERT_TRUE(b) << entry.path() << ": " << b.error().message;
    if (b->layout.is_signed) {
      options.key = &key.public_key;
      EXPECT_TRUE(ReadBundle(bytes, options)) << entry.path();
      options.key = nullptr;
    }
    ++seen;
  }
  EXPECT_GE(seen, 3);
}

}  // namespace
}  // namespace ws::bundle
