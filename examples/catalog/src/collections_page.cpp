// The shelves: a scrolling column of rails of poster tiles. Back returns to
// the profiles; focus comes back to the tile it left from.
#include <cstdio>

#include "app_state.h"
#include "pages.h"
#include "theme.h"

UI_COMPOSABLE ws::View PosterTile(const Title& title, int shelf, int index) {
  AppState& s = State();
  auto focused = ws::signal(false);
  ws::ColumnProps tile;
  tile.width = theme::kTileWidth;
  tile.focusable = true;
  tile.autofocus = shelf == s.shelf.peek() && index == s.title.peek();
  tile.on_focus = [focused, shelf, index] {
    focused.set(true);
    State().shelf.set(shelf);
    State().title.set(index);
  };
  tile.on_blur = [focused] { focused.set(false); };
  tile.on_select = [] { State().page.set(Page::Details); };
  tile.gap = 10;
  return ws::Column(tile, [&] {
    auto poster = ws::Stack({.width = theme::kTileWidth, .height = theme::kTileHeight,
                             .transition = theme::kFocusMs}, [&] {
      ws::Image({.width = theme::kTileWidth, .height = theme::kTileHeight, .radius = 8, .src = title.image});
      auto ring = ws::Box({.width = theme::kTileWidth, .height = theme::kTileHeight, .radius = 8,
                           .border_width = 3});
      ws::Bind(ring, &ws::BoxProps::border_color, [focused] { return focused() ? theme::kFocusRing : theme::kNoRing; });
    });
    ws::Bind(poster, &ws::StackProps::scale, [focused] { return focused() ? theme::kFocusScale : 1.0f; });
    auto caption = ws::Text({.text = title.name, .size = 20});
    ws::Bind(caption, &ws::TextProps::color, [focused] { return focused() ? theme::kText : theme::kMuted; });
  });
}

UI_COMPOSABLE ws::View ShelfRow(int shelf) {
  const Shelf& data = State().catalog->shelves[static_cast<size_t>(shelf)];
  int restore = shelf == State().shelf.peek() ? State().title.peek() : 0;
  return ws::Column({.gap = 14}, [&] {
    ws::Row({.padding = ws::Edges(0, 64)}, [&] { ws::Text({.text = data.name, .size = 28}); });
    ws::RailProps rail;
    rail.width = ws::Length::Percent(100);
    rail.padding = ws::Edges(12, 64);
    rail.gap = 24;
    rail.count = static_cast<int>(data.titles.size());
    rail.item_width = theme::kTileWidth;
    rail.item_height = theme::kTileHeight + 40;
    rail.initial_index = restore;
    rail.item = [shelf](int i) {
      PosterTile(State().catalog->shelves[static_cast<size_t>(shelf)].titles[static_cast<size_t>(i)], shelf, i);
    };
    ws::Rail(rail);
  });
}

UI_COMPOSABLE ws::View CollectionsPage() {
  AppState& s = State();
  const Profile& viewer = s.catalog->profiles[static_cast<size_t>(s.profile.peek())];
  ws::ColumnProps page;
  page.width = ws::Length::Percent(100);
  page.height = ws::Length::Percent(100);
  page.padding = ws::Edges(40, 0);
  page.on_back = [] { State().page.set(Page::Profiles); };
  page.gap = 28;
  page.clip = true;
  page.scroll = true;
  return ws::Column(page, [&] {
    ws::Row({.padding = ws::Edges(0, 64), .gap = 16, .align = ws::Align::Center}, [&] {
      ws::Image({.width = 48, .height = 48, .radius = 24, .src = viewer.avatar});
      ws::Text({.text = viewer.name + "'s catalog", .style = ws::TextStyle::Title});
    });
    for (size_t i = 0; i < s.catalog->shelves.size(); ++i) ShelfRow(static_cast<int>(i));
  });
}
