// Hot reload: state saved by one instance of an app and restored into a
// fresh one (StopApp and StartApp in between, as a module swap does).
#include "src/hot_reload.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::TestApp;

enum class Mode : uint8_t { kList, kGrid, kDetails };

// Runs frames until the app is idle (at most `limit`).
void Settle(TestApp& app, int limit = 200) {
  for (int i = 0; i < limit && app.Frame() != 0; ++i) {
  }
}

std::string Info() { return hot_reload::StateInfoJson(); }

struct Values {
  Signal<int> count;
  Signal<std::string> name;
  Signal<std::vector<int>> numbers;
  Signal<std::optional<std::string>> note;
  Signal<std::vector<std::string>> words;
  Signal<bool> flag;
  Signal<Mode> mode;
  Signal<double> ratio;
  void Create() {
    count = signal(1);
    name = signal("initial");
    numbers = signal(std::vector<int>{});
    note = signal(std::optional<std::string>{});
    words = signal(std::vector<std::string>{"a"});
    flag = signal(false);
    mode = signal(Mode::kList);
    ratio = signal(0.5);
  }
};

TEST(HotReloadTest, KeepsValuesOfSaveableTypes) {
  Values v;
  std::string saved;
  {
    TestApp app([&] { v.Create(); });
    Settle(app);
    v.count.set(42);
    v.name.set("caf\xC3\xA9 \"quoted\"");
    v.numbers.set({3, 1, 4, 1, 5});
    v.note.set(std::string("remember"));
    v.words.set({"x", "", "zz"});
    v.flag.set(true);
    v.mode.set(Mode::kDetails);
    v.ratio.set(0.25);
    saved = hot_reload::SaveState();
  }
  TestApp app([&] { v.Create(); });
  Settle(app);
  EXPECT_EQ(v.count.peek(), 1);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  EXPECT_EQ(v.count.peek(), 42);
  EXPECT_EQ(v.name.peek(), "caf\xC3\xA9 \"quoted\"");
  EXPECT_EQ(v.numbers.peek(), (std::vector<int>{3, 1, 4, 1, 5}));
  EXPECT_EQ(v.note.peek(), std::optional<std::string>("remember"));
  EXPECT_EQ(v.words.peek(), (std::vector<std::string>{"x", "", "zz"}));
  EXPECT_TRUE(v.flag.peek());
  EXPECT_EQ(v.mode.peek(), Mode::kDetails);
  EXPECT_EQ(v.ratio.peek(), 0.25);
  Settle(app);
  EXPECT_EQ(Info(), R"({"signals":8,"kept":8,"reset":0,"focus":""})");
}

TEST(HotReloadTest, RestoredSignalsNotifyTheirReaders) {
  Signal<int> count;
  std::string saved;
  {
    TestApp app([&] {
      count = signal(0);
      Text({.text = "x"});
    });
    count.set(7);
    saved = hot_reload::SaveState();
  }
  Element text;
  TestApp app([&] {
    count = signal(0);
    text = Text({.text = "x"});
    Bind(text, &TextProps::text, [&] { return "count " + std::to_string(count()); });
  });
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  app.Frame();
  EXPECT_EQ(ui::Ui().world.Get<ui::TextContent>(text.entity())->text, "count 7");
}

TEST(HotReloadTest, ATypeChangeResetsThatSignalOnly) {
  Signal<int> a, b;
  Signal<std::string> b_as_text;
  std::string saved;
  {
    TestApp app([&] {
      a = signal(0);
      b = signal(0);
    });
    a.set(5);
    b.set(6);
    saved = hot_reload::SaveState();
  }
  TestApp app([&] {
    a = signal(0);
    b_as_text = signal("fresh");
  });
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(a.peek(), 5);
  EXPECT_EQ(b_as_text.peek(), "fresh");
  EXPECT_EQ(Info(), R"({"signals":2,"kept":1,"reset":1,"focus":""})");
}

TEST(HotReloadTest, ValuesThatCannotBeSavedRestartAndAreCounted) {
  Signal<int> plain;
  Signal<std::map<int, int>> table;
  Signal<std::shared_ptr<int>> shared;
  std::string saved;
  auto root = [&] {
    plain = signal(0);
    table = signal(std::map<int, int>{});
    shared = signal(std::shared_ptr<int>());
  };
  {
    TestApp app(root);
    plain.set(3);
    table.set({{1, 2}});
    shared.set(std::make_shared<int>(9));
    saved = hot_reload::SaveState();
  }
  TestApp app(root);
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(plain.peek(), 3);
  EXPECT_TRUE(table.peek().empty());
  EXPECT_EQ(shared.peek(), nullptr);
  EXPECT_EQ(Info(), R"({"signals":3,"kept":1,"reset":2,"focus":""})");
}

// A page shown because a restored signal changed creates its signals after
// the restore: they start from their saved values.
struct Pages {
  Signal<int> page;
  Signal<int> selected;
  Signal<std::string> query;
  void Build() {
    page = signal(0);
    Column({}, [&] {
      If([&] { return page() == 1; },
         [&] {
           selected = signal(0);
           Column({}, [&] {
             Text({.text = "details"});
             query = signal("");
           });
         },
         [&] { Text({.text = "home"}); });
    });
  }
};

TEST(HotReloadTest, SignalsCreatedAfterTheRestoreGetTheirSavedValues) {
  Pages p;
  std::string saved;
  {
    TestApp app([&] { p.Build(); });
    Settle(app);
    p.page.set(1);
    Settle(app);
    p.selected.set(12);
    p.query.set("space");
    saved = hot_reload::SaveState();
  }
  p = Pages{};
  TestApp app([&] { p.Build(); });
  Settle(app);
  EXPECT_FALSE(p.selected.alive());
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(p.page.peek(), 1);
  ASSERT_TRUE(p.selected.alive());
  EXPECT_EQ(p.selected.peek(), 12);
  EXPECT_EQ(p.query.peek(), "space");
  EXPECT_EQ(Info(), R"({"signals":3,"kept":3,"reset":0,"focus":""})");
  // The window closed on the first idle frame: a page built now starts fresh.
  p.page.set(0);
  Settle(app);
  p.page.set(1);
  Settle(app);
  EXPECT_EQ(p.selected.peek(), 0);
}

TEST(HotReloadTest, ASaveBeforeTheWindowClosedCarriesWhatWasNotTakenYet) {
  Pages p;
  std::string first;
  {
    TestApp app([&] { p.Build(); });
    Settle(app);
    p.page.set(1);
    Settle(app);
    p.selected.set(12);
    first = hot_reload::SaveState();
  }
  std::string second;
  {
    p = Pages{};
    TestApp app([&] { p.Build(); });
    Settle(app);
    ASSERT_TRUE(hot_reload::RestoreState(first));
    second = hot_reload::SaveState();  // before any frame: the details page is not built yet
  }
  p = Pages{};
  TestApp app([&] { p.Build(); });
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(second));
  Settle(app);
  EXPECT_EQ(p.page.peek(), 1);
  EXPECT_EQ(p.selected.peek(), 12);
}

TEST(HotReloadTest, KeyedListItemsKeepTheirValuesWhereverTheyMove) {
  Signal<std::vector<std::string>> keys;
  std::map<std::string, Signal<int>> counters;
  auto root = [&](std::vector<std::string> initial) {
    return [&, initial] {
      keys = signal(initial);
      Column({}, [&] {
        For([&] { return keys(); }, [](const std::string& k) { return k; },
            [&](const std::string& k) {
              counters[k] = signal(0);
              Text({.text = k});
            });
      });
    };
  };
  std::string saved;
  {
    TestApp app(root({"a", "b", "c"}));
    Settle(app);
    counters["a"].set(1);
    counters["b"].set(2);
    counters["c"].set(3);
    saved = hot_reload::SaveState();
  }
  counters.clear();
  TestApp app(root({"c", "a"}));  // b is gone; c moved to the front
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  // The key list itself was restored too: b comes back with its value.
  EXPECT_EQ(keys.peek(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(counters["a"].peek(), 1);
  EXPECT_EQ(counters["b"].peek(), 2);
  EXPECT_EQ(counters["c"].peek(), 3);
}

// Five focusable tiles in a row, each with a caption.
void Tiles(int count, const std::string& prefix) {
  Row({.gap = 20}, [&] {
    for (int i = 0; i < count; ++i) {
      Column({.width = 100, .height = 60, .focusable = true},
             [&] { Text({.text = prefix + std::to_string(i)}); });
    }
  });
}

TEST(HotReloadTest, FocusReturnsToTheSamePath) {
  std::string saved;
  {
    TestApp app([] { Tiles(5, "Tile "); });
    Settle(app);
    for (int i = 0; i < 3; ++i) app.Key(ui::kKeyRight);
    Settle(app);
    EXPECT_EQ(hot_reload::FocusName(), "Tile 3");
    saved = hot_reload::SaveState();
  }
  TestApp app([] { Tiles(5, "Tile "); });
  Settle(app);
  EXPECT_EQ(hot_reload::FocusName(), "Tile 0");
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(hot_reload::FocusName(), "Tile 3");
  EXPECT_EQ(Info(), R"({"signals":0,"kept":0,"reset":0,"focus":"Tile 3"})");
}

TEST(HotReloadTest, FocusOnARailItemFollowsItsIndex) {
  auto root = [] {
    Rail({.width = 100_pct, .gap = 20, .count = 40, .item_width = 200, .item_height = 120,
          .item = [](int i) { Box({.width = 200, .height = 120, .focusable = true}, [&] {
            Text({.text = "Item " + std::to_string(i)});
          }); }});
  };
  std::string saved;
  {
    TestApp app(root);
    Settle(app);
    for (int i = 0; i < 4; ++i) app.Key(ui::kKeyRight);
    Settle(app);
    saved = hot_reload::SaveState();
  }
  TestApp app(root);
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(hot_reload::FocusName(), "Item 4");
}

TEST(HotReloadTest, FocusGoesToTheNearestFocusableWhenItsElementIsNoLonger) {
  std::string saved;
  {
    TestApp app([] {
      Column({}, [] {
        Tiles(3, "Top ");
        Tiles(1, "Bottom ");
      });
    });
    Settle(app);
    app.Key(ui::kKeyRight);
    app.Key(ui::kKeyRight);
    EXPECT_EQ(hot_reload::FocusName(), "Top 2");
    saved = hot_reload::SaveState();
  }
  // Top 2 is no longer focusable but holds a focusable element; the app
  // itself focuses the bottom row.
  TestApp app([] {
    Column({}, [] {
      Row({}, [] {
        Column({.width = 100, .height = 60}, [] { Text({.text = "Top 0"}); });
        Column({.width = 100, .height = 60}, [] { Text({.text = "Top 1"}); });
        Column({.width = 100, .height = 60}, [] {
          Box({.width = 50, .height = 50, .focusable = true}, [] { Text({.text = "Inner"}); });
        });
      });
      Row({}, [] { Box({.width = 50, .height = 50, .focusable = true, .autofocus = true}); });
    });
  });
  Settle(app);
  ASSERT_TRUE(hot_reload::RestoreState(saved));
  Settle(app);
  EXPECT_EQ(hot_reload::FocusName(), "Inner");
}

TEST(HotReloadTest, CorruptOrTruncatedBytesAreRefusedAndChangeNothing) {
  Signal<int> count;
  std::string saved;
  {
    TestApp app([&] {
      count = signal(0);
      Tiles(3, "T");
    });
    count.set(9);
    Settle(app);
    app.Key(ui::kKeyRight);
    saved = hot_reload::SaveState();
  }
  TestApp app([&] {
    count = signal(0);
    Tiles(3, "T");
  });
  Settle(app);
  for (size_t n = 0; n < saved.size(); ++n) {
    EXPECT_FALSE(hot_reload::RestoreState(saved.substr(0, n))) << "prefix of " << n << " bytes";
  }
  EXPECT_FALSE(hot_reload::RestoreState(saved + "x"));
  EXPECT_FALSE(hot_reload::RestoreState("not a state at all"));
  std::string other_format = saved;
  other_format[4] = 2;
  EXPECT_FALSE(hot_reload::RestoreState(other_format));
  std::string huge_count = saved;
  huge_count[8] = '\xFF';
  EXPECT_FALSE(hot_reload::RestoreState(huge_count));
  Settle(app);
  EXPECT_EQ(count.peek(), 0);
  EXPECT_EQ(hot_reload::FocusName(), "T0");
  EXPECT_EQ(Info(), R"({"signals":1,"kept":0,"reset":0,"focus":"T0"})");
}

TEST(HotReloadTest, FocusNameIsEscapedJsonOrAPath) {
  {
    TestApp app([] {
      Row({}, [] {
        Box({.width = 50, .height = 50});
        Box({.width = 50, .height = 50, .focusable = true}, [] { Text({.text = "say \"hi\"\n\\ \x01 \xFF"}); });
      });
    });
    Settle(app);
    EXPECT_EQ(Info(), "{\"signals\":0,\"kept\":0,\"reset\":0,\"focus\":\"say \\\"hi\\\"\\n\\\\ \\u0001 \xEF\xBF\xBD\"}");
  }
  TestApp untitled([] {
    Row({}, [] {
      Box({.width = 50, .height = 50});
      Box({.width = 50, .height = 50, .focusable = true});
    });
  });
  Settle(untitled);
  EXPECT_EQ(hot_reload::FocusName(), "/0/1");
}

TEST(HotReloadTest, TypeHashesDifferByTypeAndAreStable) {
  static_assert(state::kTypeHash<int> != state::kTypeHash<unsigned>);
  static_assert(state::kTypeHash<std::string> != state::kTypeHash<std::vector<char>>);
  static_assert(state::Saveable<std::vector<std::optional<std::string>>>());
  static_assert(!state::Saveable<const char*>());
  static_assert(!state::Saveable<std::string_view>());
  static_assert(!state::Saveable<std::vector<std::shared_ptr<int>>>());
  EXPECT_EQ(state::kTypeHash<Mode>, state::TypeHashOf<Mode>());
}

}  // namespace
}  // namespace ws
