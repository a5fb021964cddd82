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

bool On(Page page) { return State().page() == page; }

}  // namespace

UI_COMPOSABLE ws::View Message(const std::string& text) {
  return compose(R"ui(
    Stack(width: 100%, height: 100%, align: Center, justify: Center) {
      Text(text: {text}, color: {theme::kMuted}, style: Title)
    }
  )ui");
}

UI_COMPOSABLE ws::View Root() {
  CreateState();
  LoadCatalog();
  return compose(R"ui(
    Stack(width: 100%, height: 100%, background: {theme::kBackground}) {
      if {On(Page::Loading)} {
        Message(text: "Loading...")
      } else if {On(Page::Failed)} {
        Message(text: "The catalog could not be loaded.")
      } else if {On(Page::Profiles)} {
        ProfilesPage()
      } else if {On(Page::Collections)} {
        CollectionsPage()
      } else {
        DetailsPage()
      }
    }
  )ui");
}

UI_APP(Root)
