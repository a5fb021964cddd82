#include "device-host/render/image_diff.h"

#include <gtest/gtest.h>

namespace ws::host {
namespace {

Canvas Filled(int w, int h, uint8_t v) {
  Canvas c(w, h);
  for (size_t i = 0; i < c.rgba.size(); ++i) c.rgba[i] = (i % 4 == 3) ? 255 : v;
  return c;
}

TEST(ImageDiffTest, SameImagesDifferInNoPixel) {
  ImageDiff diff = DiffImages(Filled(4, 3, 90), Filled(4, 3, 90));
  EXPECT_EQ(diff.pixels, 0);
  ASSERT_EQ(diff.picture.width, 4);
  ASSERT_EQ(diff.picture.rgba.size(), 4u * 3 * 4);
  EXPECT_EQ(diff.picture.rgba[0], 90 / 3);  // gray context, dimmed
}

TEST(ImageDiffTest, CountsAndMarksEachDifferingPixel) {
  Canvas expected = Filled(4, 3, 0);
  Canvas actual = expected;
  actual.rgba[(1 * 4 + 2) * 4 + 1] = 7;  // (2, 1): green
  actual.rgba[(2 * 4 + 3) * 4 + 0] = 1;  // (3, 2): red
  actual.rgba[(0 * 4 + 0) * 4 + 3] = 0;  // alpha alone does not count
  ImageDiff diff = DiffImages(actual, expected);
  EXPECT_EQ(diff.pixels, 2);
  const uint8_t* marked = &diff.picture.rgba[(1 * 4 + 2) * 4];
  EXPECT_EQ(marked[0], 255);
  EXPECT_EQ(marked[1], 0);
  EXPECT_EQ(marked[2], 255);
  EXPECT_EQ(diff.picture.rgba[0], 0);
}

TEST(ImageDiffTest, AnotherSizeDiffersEverywhere) {
  EXPECT_EQ(DiffImages(Filled(4, 3, 0), Filled(3, 4, 0)).pixels, 12);
}

}  // namespace
}  // namespace ws::host
