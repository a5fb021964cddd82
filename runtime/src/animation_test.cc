#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;

TEST(AnimationTest, ScaleTransitionEasesToTheTarget) {
  Signal<bool> big;
  Element box;
  TestApp app([&] {
    big = signal(false);
    box = Box({.width = 100, .height = 100, .transition = 200});
    Bind(box, &BoxProps::scale, [&] { return big() ? 2.0f : 1.0f; });
  });
  app.Frame();
  EXPECT_EQ(app.DisplayOf(box)->scale, 1.0f);
  big.set(true);
  app.Frame();  // effects run, the tween starts now
  float previous = app.DisplayOf(box)->scale;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(app.Frame(), 1);  // still animating: wants more frames
    float now = app.DisplayOf(box)->scale;
    EXPECT_GT(now, previous);
    EXPECT_LT(now, 2.0f);
    previous = now;
  }
  app.Frames(10);
  EXPECT_EQ(app.DisplayOf(box)->scale, 2.0f);
  EXPECT_EQ(app.Frame(), 0);  // settled
}

TEST(AnimationTest, WithoutTransitionChangesSnap) {
  Signal<float> alpha;
  Element box;
  TestApp app([&] {
    alpha = signal(1.0f);
    box = Box({.width = 10, .height = 10});
    Bind(box, &BoxProps::opacity, [&] { return alpha(); });
  });
  app.Frame();
  alpha.set(0.5f);
  app.Frame();
  EXPECT_EQ(app.DisplayOf(box)->opacity, 0.5f);
}

TEST(AnimationTest, LayoutChangesAnimateToTheNewPlace) {
  Signal<float> first_width;
  Element mover;
  TestApp app([&] {
    first_width = signal(100.0f);
    Row({}, [&] {
      auto first = Box({.height = 10});
      Bind(first, &BoxProps::width, [&] { return Length(first_width()); });
      mover = Box({.width = 10, .height = 10, .transition = 300});
    });
  });
  app.Frame();
  EXPECT_EQ(app.DisplayOf(mover)->x, 100);
  first_width.set(300);
  app.Frame();  // layout moves the box's target; the display starts from 100
  EXPECT_EQ(app.RectOf(mover).x, 300);
  app.Frame();
  float mid = app.DisplayOf(mover)->x;
  EXPECT_GT(mid, 100);
  EXPECT_LT(mid, 300);
  app.Frames(30);
  EXPECT_EQ(app.DisplayOf(mover)->x, 300);
}

TEST(AnimationTest, ColorMixesPerChannel) {
  EXPECT_EQ(ui::MixColor(0x000000FF, 0xFF0000FF, 0.5f), 0x800000FFu);
  EXPECT_EQ(ui::EaseOutCubic(0), 0);
  EXPECT_EQ(ui::EaseOutCubic(1), 1);
}

}  // namespace
}  // namespace ws
