#include "device-host/render/font.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace ws::host {
namespace {

class FontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Font>> loaded = Font::Load(Font::DefaultPath());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    font_ = std::move(*loaded);
  }
  std::unique_ptr<Font> font_;
};

TEST(FontLoadTest, MissingFileIsAnError) {
  Result<std::unique_ptr<Font>> loaded = Font::Load("/nonexistent/font.ttf");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("/nonexistent/font.ttf"), std::string::npos);
}

TEST(FontLoadTest, NonFontFileIsAnError) {
  EXPECT_FALSE(Font::Load("/etc/hostname").ok());
}

TEST_F(FontTest, WidthGrowsWithTextLength) {
  std::string text;
  uint32_t previous = 0;
  for (char c : std::string("Hello, wasmship!")) {
    text += c;
    uint32_t width = font_->Measure(text, 16).width;
    if (c == ' ') {
      EXPECT_GE(width, previous) << text;
    } else {
      EXPECT_GT(width, previous) << text;
    }
    previous = width;
  }
  EXPECT_EQ(font_->Measure("", 16).width, 0u);
}

TEST_F(FontTest, WidthAndHeightGrowWithSize) {
  TextSize previous = font_->Measure("Menu", 8);
  for (float size : {10.f, 12.5f, 16.f, 24.f, 32.f, 48.f, 72.f}) {
    TextSize now = font_->Measure("Menu", size);
    EXPECT_GT(now.width, previous.width) << size;
    EXPECT_GE(now.height, previous.height) << size;
    previous = now;
  }
}

TEST_F(FontTest, HeightIsTheLineHeight) {
  // DejaVu Sans: hhea ascender 1901, descender -483, 2048 units per em.
  for (float size : {10.f, 16.f, 24.f, 100.f}) {
    TextSize measured = font_->Measure("x", size);
    EXPECT_EQ(measured.height, static_cast<uint32_t>(std::ceil(2384.0 / 2048.0 * size))) << size;
    EXPECT_EQ(font_->Measure("", size).height, measured.height);
    EXPECT_NEAR(font_->Ascent(size), 1901.0 / 2048.0 * size, 1e-3) << size;
    EXPECT_LT(font_->Ascent(size), measured.height);
  }
}

TEST_F(FontTest, WidthIsTheSumOfAdvances) {
  float sum = 0;
  for (char c : std::string("Play")) sum += font_->GlyphFor(static_cast<uint8_t>(c), 20).advance;
  EXPECT_EQ(font_->Measure("Play", 20).width, static_cast<uint32_t>(std::ceil(sum)));
}

TEST_F(FontTest, GlyphsHaveSaneSizes) {
  const Font::Glyph& a = font_->GlyphFor('A', 32);
  EXPECT_GT(a.width, 10);
  EXPECT_LT(a.width, 32);
  EXPECT_GT(a.height, 15);
  EXPECT_LE(a.height, 32);
  EXPECT_GT(a.top, 15);  // a capital sits on the baseline and reaches up
  EXPECT_LE(a.top, static_cast<int>(std::ceil(font_->Ascent(32))));
  EXPECT_GT(a.advance, 15);
  EXPECT_EQ(a.coverage.size(), static_cast<size_t>(a.width * a.height));
  EXPECT_EQ(*std::max_element(a.coverage.begin(), a.coverage.end()), 255);

  const Font::Glyph& g = font_->GlyphFor('g', 32);
  EXPECT_LT(g.top, g.height);  // a descender reaches below the baseline

  const Font::Glyph& space = font_->GlyphFor(' ', 32);
  EXPECT_GT(space.advance, 5);
  EXPECT_TRUE(std::all_of(space.coverage.begin(), space.coverage.end(), [](uint8_t c) { return c == 0; }));
}

TEST_F(FontTest, CoverageIsAntiAliased) {
  const Font::Glyph& o = font_->GlyphFor('O', 24);
  bool partial = std::any_of(o.coverage.begin(), o.coverage.end(), [](uint8_t c) { return c > 0 && c < 255; });
  EXPECT_TRUE(partial);
}

TEST_F(FontTest, GlyphsAreCached) {
  const Font::Glyph* first = &font_->GlyphFor('Q', 18);
  EXPECT_EQ(first, &font_->GlyphFor('Q', 18));
  EXPECT_NE(first, &font_->GlyphFor('Q', 19));
}

TEST_F(FontTest, InvalidUtf8MeasuresAsReplacementCharacters) {
  uint32_t replacement = font_->Measure("\xEF\xBF\xBD", 16).width;
  EXPECT_GT(replacement, 0u);
  EXPECT_EQ(font_->Measure("\xFF", 16).width, replacement);
  EXPECT_EQ(font_->Measure("\xC3", 16).width, replacement);  // truncated sequence
  EXPECT_EQ(font_->Measure("a\xFF", 16).width, font_->Measure("a\xEF\xBF\xBD", 16).width);
}

TEST_F(FontTest, DegenerateSizesDrawNothing) {
  for (float size : {0.f, -5.f, std::nanf("")}) {
    EXPECT_EQ(font_->Measure("abc", size).width, 0u) << size;
    EXPECT_TRUE(font_->GlyphFor('a', size).coverage.empty()) << size;
  }
  // Absurd sizes are capped rather than allocating giant bitmaps.
  EXPECT_EQ(font_->Measure("W", 1e9f).width, font_->Measure("W", 1024).width);
}

}  // namespace
}  // namespace ws::host
