// One title: its poster, facts and actions. Back returns to the shelves.
#include <cstdio>

#include "app_state.h"
#include "pages.h"
#include "theme.h"

UI_COMPOSABLE ws::View ActionButton(const std::string& label, bool autofocus, ws::Handler on_press) {
  auto focused = ws::signal(false);
  ws::BoxProps button;
  button.padding = ws::Edges(14, 32);
  button.radius = 8;
  button.background = theme::kButton;
  button.transition = 120;
  button.focusable = true;
  button.autofocus = autofocus;
  button.on_select = std::move(on_press);
  button.on_focus = [focused] { focused.set(true); };
  button.on_blur = [focused] { focused.set(false); };
  auto box = ws::Box(button, [&] {
    auto text = ws::Text({.text = label, .size = 24});
    ws::Bind(text, &ws::TextProps::color, [focused] { return focused() ? ws::Color(0x111111FFu) : theme::kText; });
  });
  ws::Bind(box, &ws::BoxProps::background, [focused] { return focused() ? theme::kText : theme::kButton; });
  return box;
}

UI_COMPOSABLE ws::View DetailsPage() {
  AppState& s = State();
  const Title& title =
      s.catalog->shelves[static_cast<size_t>(s.shelf.peek())].titles[static_cast<size_t>(s.title.peek())];
  char facts[96];
  std::snprintf(facts, sizeof facts, "%d  \u2022  %d min  \u2022  \u2605 %.1f", title.year, title.minutes,
                title.rating);
  ws::RowProps page;
  page.width = ws::Length::Percent(100);
  page.height = ws::Length::Percent(100);
  page.padding = 64;
  page.on_back = [] { State().page.set(Page::Collections); };
  page.gap = 48;
  page.align = ws::Align::Center;
  std::string facts_text = facts;
  return ws::Row(page, [&] {
    ws::Image({.width = 640, .height = 360, .radius = 12, .src = title.image});
    ws::Column({.gap = 22}, [&] {
      ws::Text({.text = title.name, .style = ws::TextStyle::Headline});
      ws::Text({.text = facts_text, .color = theme::kMuted});
      ws::Text({.text = "A new story from the catalog, ready to play.", .size = 22, .color = theme::kMuted});
      ws::Row({.gap = 20}, [] {
        ActionButton("Play", true, [] { ws::log("play requested"); });
        ActionButton("My list", false, [] { ws::log("added to my list"); });
      });
    });
  });
}
