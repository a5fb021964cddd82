#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;
using ui::kKeyBack;
using ui::kKeyDown;
using ui::kKeyLeft;
using ui::kKeyRight;
using ui::kKeySelect;
using ui::kKeyUp;

// A 3×2 grid of focusable tiles and a back handler on the column.
struct GridFixture {
  std::vector<Element> tiles;
  int selected = -1;
  int backs = 0;
  void Build() {
    Column({.on_back = [this] { ++backs; }, .gap = 20}, [&] {
      Box({.height = 30});  // not focusable: skipped
      for (int r = 0; r < 2; ++r) {
        Row({.gap = 20}, [&] {
          for (int c = 0; c < 3; ++c) {
            int index = r * 3 + c;
            tiles.push_back(Box({.width = 100, .height = 60, .focusable = true,
                                 .on_select = [this, index] { selected = index; }}));
          }
        });
      }
    });
  }
};

TEST(FocusTest, StartsOnFirstFocusableInTreeOrder) {
  GridFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  EXPECT_EQ(app.focused(), f.tiles[0].entity());
}

TEST(FocusTest, DpadMovesByGeometry) {
  GridFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  app.Key(kKeyRight);
  EXPECT_EQ(app.focused(), f.tiles[1].entity());
  app.Key(kKeyDown);
  EXPECT_EQ(app.focused(), f.tiles[4].entity());
  app.Key(kKeyRight);
  app.Key(kKeyRight);  // nothing further right: stays
  EXPECT_EQ(app.focused(), f.tiles[5].entity());
  app.Key(kKeyUp);
  EXPECT_EQ(app.focused(), f.tiles[2].entity());
  app.Key(kKeyLeft);
  EXPECT_EQ(app.focused(), f.tiles[1].entity());
}

TEST(FocusTest, SelectAndBackReachHandlers) {
  GridFixture f;
  TestApp app([&] { f.Build(); });
  app.Frame();
  app.Key(kKeyRight);
  app.Key(kKeySelect);
  EXPECT_EQ(f.selected, 1);
  app.Key(kKeyBack);  // the tile has no on_back: the column's runs
  EXPECT_EQ(f.backs, 1);
}

TEST(FocusTest, FocusHandlersAndAutofocus) {
  std::vector<std::string> events;
  Element second;
  TestApp app([&] {
    Row({}, [&] {
      Box({.width = 50, .height = 50, .focusable = true, .on_focus = [&] { events.push_back("focus a"); },
           .on_blur = [&] { events.push_back("blur a"); }});
      second = Box({.width = 50, .height = 50, .focusable = true, .autofocus = true,
                    .on_focus = [&] { events.push_back("focus b"); }});
    });
  });
  app.Frame();
  EXPECT_EQ(app.focused(), second.entity());
  EXPECT_EQ(events, (std::vector<std::string>{"focus b"}));
  app.Key(kKeyLeft);
  EXPECT_EQ(events.back(), "focus a");
}

TEST(FocusTest, FocusMovesOnWhenTheFocusedEntityGoesAway) {
  Signal<bool> show;
  Element other;
  TestApp app([&] {
    show = signal(true);
    Column({}, [&] {
      If([&] { return show(); }, [] { Box({.width = 10, .height = 10, .focusable = true}); });
      other = Box({.width = 10, .height = 10, .focusable = true});
    });
  });
  app.Frame();
  EXPECT_NE(app.focused(), other.entity());
  show.set(false);
  app.Frames(2);
  EXPECT_EQ(app.focused(), other.entity());
}

}  // namespace
}  // namespace ws
