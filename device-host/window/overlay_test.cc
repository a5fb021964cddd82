// canvas.h (included by overlay.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/window/overlay.h"

#include <gtest/gtest.h>

namespace ws::host {
namespace {

constexpr uint8_t kGrey = 128;

Canvas Grey(int w, int h) {
  Canvas c(w, h);
  for (size_t i = 0; i < c.rgba.size(); i += 4) c.rgba[i] = c.rgba[i + 1] = c.rgba[i + 2] = kGrey, c.rgba[i + 3] = 255;
  return c;
}

const uint8_t* At(const Canvas& c, int x, int y) { return &c.rgba[(static_cast<size_t>(y) * c.width + x) * 4]; }

// Counts pixels in a region brighter than the grey frame (the overlay's text).
int BrightPixels(const Canvas& c, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += At(c, x, y)[1] > 200;
  }
  return n;
}

class OverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
    ASSERT_TRUE(font) << font.error().message;
    font_ = std::move(*font);
  }
  std::unique_ptr<Font> font_;
};

TEST_F(OverlayTest, NoLinesLeaveTheFrameAlone) {
  Canvas frame = Grey(640, 360);
  DrawOverlay(frame, {}, false, *font_);
  EXPECT_EQ(frame.rgba, Grey(640, 360).rgba);
}

TEST_F(OverlayTest, StatisticsAreADarkPanelTopLeftWithLightText) {
  Canvas frame = Grey(1280, 720);
  DrawOverlay(frame, {"frame 4.1 ms p50, 7.9 ms p99", "reloads 3"}, false, *font_);
  const uint8_t* corner = At(frame, 20, 20);  // inside the panel, left of the text
  for (int c = 0; c < 3; ++c) EXPECT_LT(corner[c], kGrey / 2);  // dark, not tinted
  EXPECT_GT(BrightPixels(frame, 0, 0, 640, 100), 50);
  EXPECT_EQ(At(frame, 1000, 600)[0], kGrey);  // the rest of the frame shows through untouched
  EXPECT_EQ(At(frame, 20, 600)[0], kGrey);
}

TEST_F(OverlayTest, ErrorIsARedPanelAlongTheBottom) {
  Canvas frame = Grey(1280, 720);
  DrawOverlay(frame, {"src/app.cc:12:5: error: expected ';'", "  int x = 1"}, true, *font_);
  const uint8_t* panel = At(frame, 1200, 700);
  EXPECT_GT(panel[0], panel[1] + 20);  // red-tinted
  EXPECT_GT(BrightPixels(frame, 0, 600, 1280, 720), 50);
  EXPECT_EQ(At(frame, 20, 20)[0], kGrey);  // the top stays the app's
}

TEST_F(OverlayTest, TinyFramesAndLongLinesStayInside) {
  Canvas frame = Grey(40, 20);
  DrawOverlay(frame, {std::string(300, 'x'), "a", "b", "c", "d"}, false, *font_);
  DrawOverlay(frame, {std::string(300, 'x')}, true, *font_);
  EXPECT_EQ(frame.rgba.size(), 40u * 20 * 4);
}

}  // namespace
}  // namespace ws::host
