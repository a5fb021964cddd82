#include <gtest/gtest.h>

#include <set>

#include "src/rail.h"
#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;

// A 1280-wide screen, tiles 200 wide with a gap of 20: about six visible.
struct RailFixture {
  std::set<int> built, disposed;
  int initial = 0;
  Element rail;
  void Build() {
    rail = Rail({.width = 100_pct, .gap = 20, .count = 100, .item_width = 200, .item_height = 120,
                 .initial_index = initial, .item = [this](int i) {
                   built.insert(i);
                   on_cleanup([this, i] { disposed.insert(i); });
                   Box({.width = 200, .height = 120, .focusable = true});
                 }});
  }
  size_t Alive() const { return built.size() - disposed.size(); }
};

TEST(RailTest, OnlyVisibleItemsAndAMarginExist) {
  RailFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  // 0..6 are on screen (6 partly), plus a margin of two.
  EXPECT_EQ(f.Alive(), 9u);
  EXPECT_TRUE(f.built.count(8));
  EXPECT_FALSE(f.built.count(9));
}

TEST(RailTest, ScrollFollowsFocusAndRecyclesItems) {
  RailFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  for (int i = 0; i < 20; ++i) app.Key(ui::kKeyRight);
  app.Frames(30);
  ui::ScrollState* scroll = ui::Ui().world.Get<ui::ScrollState>(f.rail.entity());
  EXPECT_GT(scroll->offset, 3000);
  EXPECT_EQ(scroll->offset, scroll->target);
  // The focused item (20) is fully on screen.
  ui::Rect focused = ui::TargetRect(app.focused());
  EXPECT_GE(focused.x, 0);
  EXPECT_LE(focused.x + focused.w, 1280);
  EXPECT_TRUE(f.disposed.count(0));
  EXPECT_LE(f.Alive(), 12u);
}

TEST(RailTest, ScrollIsSmooth) {
  RailFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  for (int i = 0; i < 5; ++i) app.Key(ui::kKeyRight);
  ui::ScrollState* scroll = ui::Ui().world.Get<ui::ScrollState>(f.rail.entity());
  float before = scroll->offset;
  app.Frame();
  float after = scroll->offset;
  EXPECT_GT(scroll->target, after);  // still on its way
  EXPECT_GE(after, before);
}

TEST(RailTest, InitialIndexStartsScrolled) {
  RailFixture f;
  f.initial = 50;
  TestApp app([&] { f.Build(); });
  app.Frame();
  EXPECT_TRUE(f.built.count(50));
  EXPECT_FALSE(f.built.count(0));
}

}  // namespace
}  // namespace ws
