#include "app_state.h"

namespace {
std::unique_ptr<AppState> g_state;
}  // namespace

AppState& State() { return *g_state; }

void CreateState() {
  g_state = std::make_unique<AppState>();
  g_state->page = ws::signal(Page::Loading);
  g_state->profile = ws::signal(0);
  g_state->shelf = ws::signal(0);
  g_state->title = ws::signal(0);
  g_state->catalog = std::make_shared<Catalog>();
}
