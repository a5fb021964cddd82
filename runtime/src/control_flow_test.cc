#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;

TEST(IfTest, SwitchesBranchesAndDisposesTheOldOne) {
  Signal<bool> on;
  int built_then = 0, disposed_then = 0;
  TestApp app([&] {
    on = signal(true);
    Column({}, [&] {
      If([&] { return on(); },
         [&] {
           ++built_then;
           on_cleanup([&] { ++disposed_then; });
           Text({.text = "yes"});
         },
         [&] { Text({.text = "no"}); });
    });
  });
  app.Frame();
  size_t with_yes = app.entities();
  on.set(false);
  app.Frame();
  EXPECT_EQ(disposed_then, 1);
  EXPECT_EQ(app.entities(), with_yes);  // one text replaced by another
  on.set(false);
  app.Frame();
  EXPECT_EQ(built_then, 1);
  on.set(true);
  app.Frame();
  EXPECT_EQ(built_then, 2);
}

struct Item {
  int id;
  std::string name;
};

TEST(ForTest, KeyedItemsAreKeptMovedCreatedAndDisposed) {
  Signal<std::vector<Item>> items;
  std::map<int, int> builds;
  std::map<int, Element> elements;
  Element list;
  TestApp app([&] {
    items = signal(std::vector<Item>{{1, "a"}, {2, "b"}, {3, "c"}});
    list = Column({}, [&] {
      For([&] { return items(); }, [](const Item& item) { return item.id; },
          [&](const Item& item) {
            ++builds[item.id];
            elements[item.id] = Text({.text = item.name});
          });
    });
  });
  app.Frame();
  Entity kept = elements[2].entity();
  items.set({{3, "c"}, {2, "b"}, {4, "d"}});
  app.Frame();
  EXPECT_EQ(builds[2], 1);  // kept, not rebuilt
  EXPECT_EQ(builds[3], 1);
  EXPECT_EQ(builds[4], 1);
  EXPECT_TRUE(ui::Ui().world.Alive(kept));
  EXPECT_FALSE(ui::Ui().world.Alive(elements[1].entity()));
  // Order on screen follows the new order: 3, 2, 4.
  EXPECT_LT(app.RectOf(elements[3]).y, app.RectOf(elements[2]).y);
  EXPECT_LT(app.RectOf(elements[2]).y, app.RectOf(elements[4]).y);
}

TEST(LeakTest, PageChangesReturnToTheSameCounts) {
  Signal<int> page;
  TestApp app([&] {
    page = signal(0);
    If([&] { return page() == 0; },
       [&] {
         Column({}, [&] {
           for (int i = 0; i < 20; ++i) {
             auto focused = signal(false);
             auto tile = Box({.width = 50, .height = 50, .focusable = true,
                              .on_focus = [focused] { focused.set(true); },
                              .on_blur = [focused] { focused.set(false); }});
             Bind(tile, &BoxProps::scale, [focused] { return focused() ? 1.1f : 1.0f; });
           }
         });
       },
       [&] {
         Rail({.width = 100_pct, .count = 50, .item_width = 100, .item_height = 100,
               .item = [](int) { Box({.width = 100, .height = 100, .focusable = true}); }});
       });
  });
  app.Frames(3);
  size_t entities = app.entities();
  size_t nodes = live_reactive_nodes();
  for (int round = 0; round < 5; ++round) {
    page.set(1);
    app.Frames(3);
    app.Key(ui::kKeyRight);
    page.set(0);
    app.Frames(3);
    EXPECT_EQ(app.entities(), entities);
    EXPECT_EQ(live_reactive_nodes(), nodes);
  }
}

}  // namespace
}  // namespace ws
