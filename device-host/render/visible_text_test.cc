#include "device-host/render/visible_text.h"

#include <gtest/gtest.h>

namespace ws::host {
namespace {

class VisibleTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto font = Font::Load(Font::DefaultPath());
    ASSERT_TRUE(font) << font.error().message;
    font_ = std::move(*font);
  }
  static DrawCommand Op(DrawOp op) {
    DrawCommand c;
    c.op = op;
    return c;
  }
  static DrawCommand Text(float x, float y, std::string text, uint32_t rgba = 0xFFFFFFFF) {
    DrawCommand c = Op(DrawOp::kText);
    c.x = x, c.y = y, c.size = 20, c.rgba = rgba, c.text = std::move(text);
    return c;
  }
  std::vector<std::string> Visible(const DrawList& list) { return VisibleTexts(list, *font_, 1280, 720); }
  std::unique_ptr<Font> font_;
};

TEST_F(VisibleTextTest, TextsOnScreenInDrawOrder) {
  DrawList list{{Text(10, 10, "Home"), Text(600, 690, "Footer"), Text(1279.5f, 10, "edge")}};
  EXPECT_EQ(Visible(list), (std::vector<std::string>{"Home", "Footer"}));
}

TEST_F(VisibleTextTest, OffScreenClippedAndTransparentTextsAreHidden) {
  DrawCommand clip = Op(DrawOp::kPushClip);
  clip.x = 0, clip.y = 0, clip.w = 100, clip.h = 100;
  DrawCommand fade = Op(DrawOp::kPushOpacity);
  fade.opacity = 0;
  DrawList list{{Text(2000, 10, "right of the screen"), Text(10, -200, "above"), clip, Text(300, 10, "clipped"),
                 Text(10, 10, "inside"), Op(DrawOp::kPopClip), Text(10, 10, "clear", 0xFFFFFF00), fade,
                 Text(10, 10, "faded"), Op(DrawOp::kPopOpacity)}};
  EXPECT_EQ(Visible(list), (std::vector<std::string>{"inside"}));
}

TEST_F(VisibleTextTest, TransformsMoveTextsOnAndOffScreen) {
  DrawCommand in = Op(DrawOp::kPushTransform);
  in.matrix[4] = -1500;  // a rail scrolled left: its item at 1600 is now at 100
  DrawCommand out = Op(DrawOp::kPushTransform);
  out.matrix[4] = 1400;
  DrawList list{{in, Text(1600, 10, "scrolled in"), Text(10, 10, "scrolled out"), Op(DrawOp::kPopTransform), out,
                 Text(10, 10, "pushed off"), Op(DrawOp::kPopTransform)}};
  EXPECT_EQ(Visible(list), (std::vector<std::string>{"scrolled in"}));
}

}  // namespace
}  // namespace ws::host
