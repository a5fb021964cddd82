#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;

TEST(LayoutTest, RowPlacesChildrenWithPaddingAndGap) {
  Element row, a, b;
  TestApp app([&] {
    row = Row({.padding = 10, .gap = 5}, [&] {
      a = Box({.width = 100, .height = 50});
      b = Box({.width = 30, .height = 20});
    });
  });
  app.Frame();
  EXPECT_EQ(app.RectOf(a).x, 10);
  EXPECT_EQ(app.RectOf(b).x, 115);
  EXPECT_EQ(app.RectOf(b).y, 10);
  EXPECT_EQ(app.RectOf(row).w, 155);
  EXPECT_EQ(app.RectOf(row).h, 70);
}

TEST(LayoutTest, ColumnAlignsAndJustifies) {
  Element a, b;
  TestApp app([&] {
    Column({.width = 200, .height = 300, .align = Align::Center, .justify = Justify::End}, [&] {
      a = Box({.width = 100, .height = 50});
      b = Box({.width = 50, .height = 50});
    });
  });
  app.Frame();
  EXPECT_EQ(app.RectOf(a).x, 50);
  EXPECT_EQ(app.RectOf(b).x, 75);
  EXPECT_EQ(app.RectOf(a).y, 200);
  EXPECT_EQ(app.RectOf(b).y, 250);
}

TEST(LayoutTest, PercentSizesSpacersAndSpaceBetween) {
  Element half, left, right, first, last;
  TestApp app([&] {
    Column({.width = 100_pct, .height = 100_pct}, [&] {
      half = Box({.width = 50_pct, .height = 10});
      Row({.width = 400}, [&] {
        left = Box({.width = 100, .height = 10});
        Spacer();
        right = Box({.width = 100, .height = 10});
      });
      Row({.width = 400, .justify = Justify::SpaceBetween}, [&] {
        first = Box({.width = 50, .height = 10});
        Box({.width = 50, .height = 10});
        last = Box({.width = 50, .height = 10});
      });
    });
  });
  app.Frame();
  EXPECT_EQ(app.RectOf(half).w, 640);
  EXPECT_EQ(app.RectOf(right).x, 300);
  EXPECT_EQ(app.RectOf(first).x, 0);
  EXPECT_EQ(app.RectOf(last).x, 350);
}

TEST(LayoutTest, StackCentersAndGridWraps) {
  Element centered;
  std::vector<Element> cells;
  TestApp app([&] {
    Column({}, [&] {
      Stack({.width = 200, .height = 100, .align = Align::Center, .justify = Justify::Center},
            [&] { centered = Box({.width = 50, .height = 20}); });
      Grid({.width = 320, .gap = 10, .columns = 3}, [&] {
        for (int i = 0; i < 5; ++i) cells.push_back(Box({.height = 40}));
      });
    });
  });
  app.Frame();
  EXPECT_EQ(app.RectOf(centered).x, 75);
  EXPECT_EQ(app.RectOf(centered).y, 40);
  EXPECT_EQ(app.RectOf(cells[1]).x, 110);
  EXPECT_EQ(app.RectOf(cells[3]).x, 0);
  EXPECT_EQ(app.RectOf(cells[3]).y, 150);
  EXPECT_EQ(app.RectOf(cells[4]).w, 100);
}

TEST(LayoutTest, TextSizeComesFromTheHostFont) {
  Element text;
  TestApp app([&] { text = Text({.text = "Hello", .size = 20}); });
  app.Frame();
  EXPECT_EQ(app.RectOf(text).w, 50);  // 5 × 20 × 0.5 (the fake host's font)
  EXPECT_EQ(app.RectOf(text).h, 25);
}

TEST(LayoutTest, OnlyDirtySubtreesAreRecomputed) {
  Signal<std::string> label;
  TestApp app([&] {
    label = signal(std::string("a"));
    Column({}, [&] {
      for (int r = 0; r < 10; ++r) {
        Row({.gap = 4}, [&] {
          for (int c = 0; c < 10; ++c) Box({.width = 10, .height = 10});
        });
      }
      Row({}, [&] {
        auto text = Text({.text = "x"});
        Bind(text, &TextProps::text, [&] { return label(); });
      });
    });
  });
  app.Frame();
  EXPECT_GT(ui::Ui().stats.laid_out, 110u);
  app.Frame();
  EXPECT_EQ(ui::Ui().stats.laid_out, 0u);  // nothing changed
  label.set("longer text");
  app.Frame();
  // The text, its row, the column and the root: not the 110 boxes and rows.
  EXPECT_EQ(ui::Ui().stats.laid_out, 4u);
}

}  // namespace
}  // namespace ws
