// catalog: loads assets/catalog.json, then shows who is watching, the
// shelves of titles, and a title's details.
#include <wasmship/ui.hpp>

#include "app_state.h"
#include "pages.h"
#include "theme.h"

namespace {

void LoadCatalog() {
  ws::fetch("catalog.json", [](const ws::FetchResult& result) {
    AppState& s = State();
    std::optional<ws::Json> json = result.status == 200 ? ws::ParseJson(result.body) : std::nullopt;
    if (!json) {
      ws::log("catalog.json could not be loaded", ws::LogLevel::Error);
      s.page.set(Page::Failed);
      return;
    }
    s.catalog = std::make_shared<Catalog>(ReadCatalog(*json));
    s.page.set(Page::Profiles);
  });
}

UI_COMPOSABLE ws::View Message(const std::string& text) {
  ws::StackProps screen;
  screen.width = ws::Length::Percent(100);
  screen.height = ws::Length::Percent(100);
  screen.align = ws::Align::Center;
  screen.justify = ws::Justify::Center;
  return ws::Stack(screen, [&] { ws::Text({.text = text, .color = theme::kMuted, .style = ws::TextStyle::Title}); });
}

bool On(Page page) { return State().page() == page; }

}  // namespace

UI_COMPOSABLE ws::View Root() {
  CreateState();
  LoadCatalog();
  ws::StackProps screen;
  screen.width = ws::Length::Percent(100);
  screen.height = ws::Length::Percent(100);
  screen.background = theme::kBackground;
  return ws::Stack(screen, [] {
    ws::If([] { return On(Page::Loading); }, [] { Message("Loading..."); },
           [] {
             ws::If([] { return On(Page::Failed); }, [] { Message("The catalog could not be loaded."); },
                    [] {
                      ws::If([] { return On(Page::Profiles); }, [] { ProfilesPage(); },
                             [] {
                               ws::If([] { return On(Page::Collections); }, [] { CollectionsPage(); },
                                      [] { DetailsPage(); });
                             });
                    });
           });
  });
}

UI_APP(Root)
