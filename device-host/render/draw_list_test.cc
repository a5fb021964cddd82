#include "device-host/render/draw_list.h"

#include <gtest/gtest.h>

#include <bit>
#include <limits>
#include <random>

namespace ws::host {
namespace {

// Raw little-endian bytes, for lists the encoder would never produce.
class Bytes {
 public:
  Bytes& U8(uint8_t v) {
    data_.push_back(v);
    return *this;
  }
  Bytes& U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  Bytes& F32(float v) { return U32(std::bit_cast<uint32_t>(v)); }
  Bytes& Header(uint32_t count) { return U32(0x4C445357).U32(count); }
  Bytes& Rect(float x, float y, float w, float h) {
    return U8(1).F32(x).F32(y).F32(w).F32(h).U32(0xFF0000FF).F32(0);
  }
  std::span<const uint8_t> span() const { return data_; }
  std::vector<uint8_t> data_;
};

DrawCommand Command(DrawOp op) {
  DrawCommand c;
  c.op = op;
  return c;
}

DrawCommand Rect(float x, float y, float w, float h, uint32_t rgba, float radius) {
  DrawCommand c = Command(DrawOp::kRect);
  c.x = x, c.y = y, c.w = w, c.h = h, c.rgba = rgba, c.radius = radius;
  return c;
}

DrawList EveryCommand() {
  DrawList list;
  list.commands.push_back(Rect(1.5f, 2, 30, 40, 0x11223344, 4));
  DrawCommand clip = Command(DrawOp::kPushClip);
  clip.x = 5, clip.y = 6, clip.w = 70, clip.h = 80;
  list.commands.push_back(clip);
  DrawCommand opacity = Command(DrawOp::kPushOpacity);
  opacity.opacity = 0.25f;
  list.commands.push_back(opacity);
  DrawCommand transform = Command(DrawOp::kPushTransform);
  float matrix[6] = {2, 0, 0, 3, 10.5f, -20};
  std::copy(matrix, matrix + 6, transform.matrix);
  list.commands.push_back(transform);
  DrawCommand image = Command(DrawOp::kImage);
  image.x = 9, image.y = 8, image.w = 7, image.h = 6, image.image = -42, image.opacity = 0.5f;
  list.commands.push_back(image);
  DrawCommand text = Command(DrawOp::kText);
  text.x = 3, text.y = 4, text.size = 18, text.rgba = 0xFFFFFFFF, text.text = "h\xC3\xA9llo";
  list.commands.push_back(text);
  list.commands.push_back(Command(DrawOp::kPopTransform));
  list.commands.push_back(Command(DrawOp::kPopOpacity));
  list.commands.push_back(Command(DrawOp::kPopClip));
  return list;
}

std::string ErrorOf(std::span<const uint8_t> bytes) {
  Result<DrawList> parsed = ParseDrawList(bytes);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(DrawListTest, RoundTripsEveryCommand) {
  DrawList list = EveryCommand();
  std::vector<uint8_t> bytes = EncodeDrawList(list);
  Result<DrawList> parsed = ParseDrawList(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->commands.size(), list.commands.size());
  for (size_t i = 0; i < list.commands.size(); ++i) {
    const DrawCommand& a = list.commands[i];
    const DrawCommand& b = parsed->commands[i];
    EXPECT_EQ(a.op, b.op) << i;
    EXPECT_EQ(a.x, b.x) << i;
    EXPECT_EQ(a.y, b.y) << i;
    EXPECT_EQ(a.w, b.w) << i;
    EXPECT_EQ(a.h, b.h) << i;
    EXPECT_EQ(a.rgba, b.rgba) << i;
    EXPECT_EQ(a.radius, b.radius) << i;
    EXPECT_EQ(a.image, b.image) << i;
    EXPECT_EQ(a.opacity, b.opacity) << i;
    EXPECT_EQ(a.size, b.size) << i;
    EXPECT_EQ(a.text, b.text) << i;
    for (int m = 0; m < 6; ++m) EXPECT_EQ(a.matrix[m], b.matrix[m]) << i;
  }
  EXPECT_EQ(EncodeDrawList(*parsed), bytes);
}

TEST(DrawListTest, EncodesTheDocumentedLayout) {
  DrawList list;
  list.commands.push_back(Rect(1, 2, 3, 4, 0xAABBCCDD, 5));
  std::vector<uint8_t> bytes = EncodeDrawList(list);
  ASSERT_EQ(bytes.size(), 8u + 25u);
  EXPECT_EQ(bytes[0], 0x57);  // "WSDL" in memory
  EXPECT_EQ(bytes[1], 0x53);
  EXPECT_EQ(bytes[2], 0x44);
  EXPECT_EQ(bytes[3], 0x4C);
  EXPECT_EQ(bytes[4], 1);
  EXPECT_EQ(bytes[8], 1);     // opcode RECT
  EXPECT_EQ(bytes[25], 0xDD);  // rgba, little-endian
  EXPECT_EQ(bytes[28], 0xAA);
}

TEST(DrawListTest, AcceptsAnEmptyList) {
  Result<DrawList> parsed = ParseDrawList(Bytes().Header(0).span());
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->commands.empty());
}

TEST(DrawListTest, RejectsBadMagic) {
  std::string error = ErrorOf(Bytes().U32(0x4C445358).U32(0).span());
  EXPECT_NE(error.find("bad magic 0x4C445358"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 0"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsShortHeader) {
  EXPECT_NE(ErrorOf(Bytes().U32(0x4C445357).span()).find("truncated header"), std::string::npos);
  EXPECT_FALSE(ParseDrawList({}).ok());
}

TEST(DrawListTest, RejectsEveryTruncation) {
  std::vector<uint8_t> bytes = EncodeDrawList(EveryCommand());
  for (size_t n = 0; n < bytes.size(); ++n) {
    Result<DrawList> parsed = ParseDrawList(std::span(bytes).first(n));
    EXPECT_FALSE(parsed.ok()) << "accepted the first " << n << " bytes";
  }
}

TEST(DrawListTest, TruncatedCommandNamesOpAndOffset) {
  Bytes b;
  b.Header(1).U8(1).F32(0).F32(0);
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("truncated RECT"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 8"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsTextCutInItsLengthField) {
  Bytes b;
  b.Header(1).U8(3).F32(0).F32(0).F32(16).U32(0xFFFFFFFF).U8(5).U8(0);
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("truncated TEXT"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 8"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsTextLongerThanTheData) {
  Bytes b;
  b.Header(1).U8(3).F32(0).F32(0).F32(16).U32(0xFFFFFFFF).U32(0xFFFFFFF0).U8('a');
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("TEXT"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 25"), std::string::npos) << error;  // the length field
}

TEST(DrawListTest, RejectsACountLargerThanTheData) {
  std::string error = ErrorOf(Bytes().Header(0xFFFFFFFF).U8(5).span());
  EXPECT_NE(error.find("command_count"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsTrailingBytes) {
  Bytes b;
  b.Header(1).Rect(0, 0, 1, 1).U8(0).U8(0);
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("2 trailing byte(s)"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 33"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsUnknownOpcodes) {
  for (uint8_t op : {0, 10, 255}) {
    Bytes b;
    b.Header(2).Rect(0, 0, 1, 1).U8(op);
    std::string error = ErrorOf(b.span());
    EXPECT_NE(error.find("unknown opcode " + std::to_string(op) + " at byte 33"), std::string::npos)
        << error;
  }
}

TEST(DrawListTest, RejectsPopWithoutPush) {
  for (uint8_t pop : {5, 7, 9}) {
    std::string error = ErrorOf(Bytes().Header(1).U8(pop).span());
    EXPECT_NE(error.find("without a matching push"), std::string::npos) << error;
    EXPECT_NE(error.find("at byte 8"), std::string::npos) << error;
  }
}

TEST(DrawListTest, RejectsPushesLeftOpen) {
  Bytes b;
  b.Header(3).U8(6).F32(0.5f).U8(6).F32(0.5f).U8(7);
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("never popped"), std::string::npos) << error;
  EXPECT_NE(error.find("PUSH_OPACITY from byte 8"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsPopOfTheWrongKind) {
  Bytes b;
  b.Header(3).U8(4).F32(0).F32(0).F32(1).F32(1).U8(6).F32(1).U8(5);
  std::string error = ErrorOf(b.span());
  EXPECT_NE(error.find("POP_CLIP closes PUSH_OPACITY"), std::string::npos) << error;
  EXPECT_NE(error.find("at byte 30"), std::string::npos) << error;
}

TEST(DrawListTest, RejectsNonFiniteNumbers) {
  const float kBad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                        -std::numeric_limits<float>::infinity()};
  for (float bad : kBad) {
    std::string rect_error = ErrorOf(Bytes().Header(1).Rect(0, bad, 1, 1).span());
    EXPECT_NE(rect_error.find("non-finite y in RECT"), std::string::npos) << rect_error;
    EXPECT_NE(rect_error.find("at byte 13"), std::string::npos) << rect_error;
    Bytes transform;
    transform.Header(2).U8(8).F32(1).F32(0).F32(0).F32(1).F32(0).F32(bad).U8(9);
    EXPECT_NE(ErrorOf(transform.span()).find("non-finite matrix entry"), std::string::npos);
    Bytes text;
    text.Header(1).U8(3).F32(0).F32(0).F32(bad).U32(0).U32(0);
    EXPECT_NE(ErrorOf(text.span()).find("non-finite size in TEXT"), std::string::npos);
  }
}

TEST(DrawListTest, RejectsNegativeSizes) {
  std::string w_error = ErrorOf(Bytes().Header(1).Rect(0, 0, -1, 1).span());
  EXPECT_NE(w_error.find("negative w in RECT"), std::string::npos) << w_error;
  EXPECT_NE(w_error.find("at byte 17"), std::string::npos) << w_error;
  Bytes image;
  image.Header(1).U8(2).F32(0).F32(0).F32(1).F32(-0.5f).U32(1).F32(1);
  EXPECT_NE(ErrorOf(image.span()).find("negative h in IMAGE"), std::string::npos);
  Bytes clip;
  clip.Header(2).U8(4).F32(0).F32(0).F32(-3).F32(1).U8(5);
  EXPECT_NE(ErrorOf(clip.span()).find("negative w in PUSH_CLIP"), std::string::npos);
  // Zero is a legal (empty) size.
  EXPECT_TRUE(ParseDrawList(Bytes().Header(1).Rect(0, 0, 0, 0).span()).ok());
}

// Random bytes after a valid header, and random single-byte corruptions of
// a valid list: the parser must answer, never crash (run under ASan/UBSan to
// make this stronger).
TEST(DrawListTest, SurvivesGarbage) {
  std::mt19937 rng(1234);
  std::vector<uint8_t> good = EncodeDrawList(EveryCommand());
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> bytes = good;
    bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
    if (round % 3 == 0) {
      bytes.resize(8 + rng() % 64);
      bytes[4] = static_cast<uint8_t>(rng() % 8);
    }
    Result<DrawList> parsed = ParseDrawList(bytes);
    if (parsed.ok()) {
      ++accepted;
      EXPECT_EQ(EncodeDrawList(*parsed), bytes);  // whatever parses re-encodes identically
    }
  }
  EXPECT_LT(accepted, 3000);
}

}  // namespace
}  // namespace ws::host
