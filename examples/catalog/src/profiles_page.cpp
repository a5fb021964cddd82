// Who's watching? One tile per profile; select opens the collections.
#include "app_state.h"
#include "pages.h"
#include "theme.h"

UI_COMPOSABLE ws::View ProfileTile(const Profile& profile, int index) {
  AppState& s = State();
  auto focused = ws::signal(false);
  ws::ColumnProps tile;
  tile.width = 200;
  tile.focusable = true;
  tile.autofocus = index == s.profile.peek();
  tile.on_focus = [focused] { focused.set(true); };
  tile.on_blur = [focused] { focused.set(false); };
  tile.on_select = [index] {
    State().profile.set(index);
    State().shelf.set(0);
    State().title.set(0);
    State().page.set(Page::Collections);
  };
  tile.gap = 16;
  tile.align = ws::Align::Center;
  return ws::Column(tile, [&] {
    auto avatar = ws::Image({.width = 160, .height = 160, .radius = 80, .transition = theme::kFocusMs,
                             .src = profile.avatar});
    ws::Bind(avatar, &ws::ImageProps::scale, [focused] { return focused() ? 1.12f : 1.0f; });
    auto name = ws::Text({.text = profile.name, .style = ws::TextStyle::Title});
    ws::Bind(name, &ws::TextProps::color, [focused] { return focused() ? theme::kText : theme::kMuted; });
    if (profile.kids) ws::Text({.text = "Kids", .color = theme::kKids, .style = ws::TextStyle::Caption});
  });
}

UI_COMPOSABLE ws::View ProfilesPage() {
  ws::ColumnProps page;
  page.width = ws::Length::Percent(100);
  page.height = ws::Length::Percent(100);
  page.gap = 56;
  page.align = ws::Align::Center;
  page.justify = ws::Justify::Center;
  return ws::Column(page, [] {
    ws::Text({.text = "Who's watching?", .style = ws::TextStyle::Headline});
    ws::Row({.gap = 48, .align = ws::Align::Start}, [] {
      const Catalog& catalog = *State().catalog;
      for (size_t i = 0; i < catalog.profiles.size(); ++i) ProfileTile(catalog.profiles[i], static_cast<int>(i));
    });
  });
}
