#include "device-host/render/png_codec.h"

#include <gtest/gtest.h>

#include <random>

namespace ws::host {
namespace {

// Fixtures written by an independent encoder (Python's zlib and struct), so
// the decoder is not only tested against its own output.
// Gray2x2
const uint8_t kGray2x2[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00, 0x00, 0x00, 0x57, 0xdd, 0x52,
    0xf8, 0x00, 0x00, 0x00, 0x0e, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x08, 0x65, 0x58,
    0xf5, 0x1f, 0x00, 0x03, 0xad, 0x01, 0xff, 0x7a, 0x93, 0x84, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};
// PaletteTrns2x1
const uint8_t kPaletteTrns2x1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x03, 0x00, 0x00, 0x00, 0xc3, 0xfc, 0x8f,
    0xb8, 0x00, 0x00, 0x00, 0x06, 0x50, 0x4c, 0x54, 0x45, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0x6c,
    0xa1, 0xfd, 0x8e, 0x00, 0x00, 0x00, 0x02, 0x74, 0x52, 0x4e, 0x53, 0xff, 0x80, 0x08, 0x0f, 0xb3,
    0x6a, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x60, 0x04, 0x00,
    0x00, 0x04, 0x00, 0x02, 0x2c, 0xde, 0x48, 0xad, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82
};
// Rgb16
const uint8_t kRgb16[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x02, 0x00, 0x00, 0x00, 0xc0, 0xe7, 0x8f,
    0x9d, 0x00, 0x00, 0x00, 0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xff, 0xbf, 0xa1,
    0x81, 0x81, 0x01, 0x00, 0x0e, 0x7c, 0x02, 0xff, 0x3e, 0x79, 0xfa, 0x03, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};
// GrayAlpha1x1
const uint8_t kGrayAlpha1x1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c,
    0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x91, 0x02, 0x00,
    0x01, 0xf7, 0x01, 0x2d, 0x03, 0xb9, 0xd4, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82
};
// Interlaced3x3
const uint8_t kInterlaced3x3[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x08, 0x06, 0x00, 0x00, 0x01, 0x21, 0x2f, 0x85,
    0x29, 0x00, 0x00, 0x00, 0x25, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x15, 0xc7, 0x41, 0x11, 0x00,
    0x00, 0x0c, 0xc2, 0xb0, 0xca, 0x41, 0x0e, 0x12, 0x71, 0xca, 0xc6, 0x23, 0x3d, 0x00, 0x54, 0xb2,
    0x10, 0x35, 0x0f, 0xef, 0x79, 0x0b, 0xab, 0x7e, 0x79, 0x07, 0x32, 0xce, 0x10, 0x00, 0xf3, 0xba,
    0xef, 0xe4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};

std::vector<uint8_t> Pixel(const Image& image, int x, int y) {
  auto at = image.rgba.begin() + (static_cast<ptrdiff_t>(y) * image.width + x) * 4;
  return {at, at + 4};
}

using Rgba = std::vector<uint8_t>;

Canvas Gradient(int w, int h) {
  Canvas canvas(w, h);
  for (size_t i = 0; i < canvas.rgba.size(); ++i) canvas.rgba[i] = static_cast<uint8_t>(i * 37 + i / 7);
  return canvas;
}

uint32_t Crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFF;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
  }
  return ~crc;
}

void PutBigEndian(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

// Recomputes every chunk's CRC, so a corruption reaches the code behind the
// CRC check (IHDR validation, zlib, filters).
void FixCrcs(std::vector<uint8_t>& png) {
  size_t at = 8;
  while (at + 12 <= png.size()) {
    uint32_t length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
    if (length > png.size() - at - 12) return;
    PutBigEndian(png, at + 8 + length, Crc32(&png[at + 4], length + 4));
    at += 12 + length;
  }
}

TEST(PngCodecTest, RoundTripsACanvas) {
  Canvas canvas = Gradient(7, 5);
  std::vector<uint8_t> png = EncodePng(canvas);
  ASSERT_FALSE(png.empty());
  Result<Image> decoded = DecodePng(png);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->width, 7);
  EXPECT_EQ(decoded->height, 5);
  EXPECT_EQ(decoded->rgba, canvas.rgba);
}

TEST(PngCodecTest, EncodingIsDeterministicAndHasNoMetadata) {
  Canvas canvas = Gradient(64, 32);
  std::vector<uint8_t> first = EncodePng(canvas);
  EXPECT_EQ(first, EncodePng(canvas));
  std::string text(first.begin(), first.end());
  EXPECT_EQ(text.find("tIME"), std::string::npos);
  EXPECT_EQ(text.find("tEXt"), std::string::npos);
  EXPECT_EQ(text.substr(1, 3), "PNG");
}

TEST(PngCodecTest, EncodeRefusesAnInconsistentCanvas) {
  EXPECT_TRUE(EncodePng(Canvas()).empty());
  Canvas broken(4, 4);
  broken.rgba.resize(10);
  EXPECT_TRUE(EncodePng(broken).empty());
}

TEST(PngCodecTest, DecodesGrayToRgba) {
  Result<Image> image = DecodePng(kGray2x2);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(Pixel(*image, 0, 0), (Rgba{0, 0, 0, 255}));
  EXPECT_EQ(Pixel(*image, 1, 0), (Rgba{85, 85, 85, 255}));
  EXPECT_EQ(Pixel(*image, 0, 1), (Rgba{170, 170, 170, 255}));
  EXPECT_EQ(Pixel(*image, 1, 1), (Rgba{255, 255, 255, 255}));
}

TEST(PngCodecTest, DecodesPaletteWithTransparency) {
  Result<Image> image = DecodePng(kPaletteTrns2x1);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(Pixel(*image, 0, 0), (Rgba{255, 0, 0, 255}));
  EXPECT_EQ(Pixel(*image, 1, 0), (Rgba{0, 0, 255, 128}));
}

TEST(PngCodecTest, DecodesSixteenBitAndGrayAlpha) {
  Result<Image> rgb16 = DecodePng(kRgb16);
  ASSERT_TRUE(rgb16.ok()) << rgb16.error().message;
  EXPECT_EQ(Pixel(*rgb16, 0, 0), (Rgba{255, 128, 0, 255}));
  Result<Image> gray_alpha = DecodePng(kGrayAlpha1x1);
  ASSERT_TRUE(gray_alpha.ok()) << gray_alpha.error().message;
  EXPECT_EQ(Pixel(*gray_alpha, 0, 0), (Rgba{200, 200, 200, 100}));
}

TEST(PngCodecTest, DecodesInterlaced) {
  Result<Image> image = DecodePng(kInterlaced3x3);
  ASSERT_TRUE(image.ok()) << image.error().message;
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 3; ++x) {
      EXPECT_EQ(Pixel(*image, x, y), (Rgba{static_cast<uint8_t>(x * 80), static_cast<uint8_t>(y * 80), 40, 255}))
          << x << "," << y;
    }
  }
}

TEST(PngCodecTest, RejectsWhatIsNotAPng) {
  EXPECT_FALSE(DecodePng({}).ok());
  const uint8_t kText[] = "GIF89a, not a png at all";
  Result<Image> gif = DecodePng(kText);
  ASSERT_FALSE(gif.ok());
  EXPECT_NE(gif.error().message.find("not a PNG"), std::string::npos);
}

TEST(PngCodecTest, RejectsEveryTruncation) {
  std::vector<uint8_t> png = EncodePng(Gradient(9, 9));
  for (size_t n = 0; n < png.size(); ++n) {
    EXPECT_FALSE(DecodePng(std::span(png).first(n)).ok()) << "accepted the first " << n << " bytes";
  }
}

TEST(PngCodecTest, RejectsABadCrc) {
  std::vector<uint8_t> png = EncodePng(Gradient(9, 9));
  png[45] ^= 0x55;  // inside the IDAT data
  Result<Image> image = DecodePng(png);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("png: "), std::string::npos);
}

TEST(PngCodecTest, RejectsCorruptCompressedData) {
  std::vector<uint8_t> png = EncodePng(Gradient(9, 9));
  for (size_t i = 41; i < 60; ++i) png[i] = 0xFF;  // IDAT data from byte 41
  FixCrcs(png);
  EXPECT_FALSE(DecodePng(png).ok());
}

TEST(PngCodecTest, RejectsHugeDimensionsWithoutAllocating) {
  for (auto [w, h] : {std::pair{20000u, 1u}, std::pair{1u, 20000u}, std::pair{16384u, 16384u}}) {
    std::vector<uint8_t> png = EncodePng(Gradient(1, 1));
    PutBigEndian(png, 16, w);  // IHDR width
    PutBigEndian(png, 20, h);
    FixCrcs(png);
    Result<Image> image = DecodePng(png);
    EXPECT_FALSE(image.ok()) << w << "x" << h;
  }
}

// Random corruptions with valid CRCs: every answer is an image of the
// declared size or an error, never a crash or an abort.
TEST(PngCodecTest, SurvivesRandomCorruption) {
  std::vector<uint8_t> good = EncodePng(Gradient(12, 10));
  std::mt19937 rng(99);
  int rejected = 0;
  for (int round = 0; round < 500; ++round) {
    std::vector<uint8_t> png = good;
    for (int i = 0; i < 3; ++i) png[8 + rng() % (png.size() - 8)] = static_cast<uint8_t>(rng());
    FixCrcs(png);
    Result<Image> image = DecodePng(png);
    if (!image.ok()) {
      ++rejected;
      continue;
    }
    EXPECT_EQ(image->rgba.size(), static_cast<size_t>(image->width) * image->height * 4);
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace ws::host
