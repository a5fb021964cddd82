// The state the pages share: which page shows, who is watching, and what
// was focused last (so that `back` returns focus where it was).
#pragma once

#include <memory>
#include <wasmship/ui.hpp>

#include "catalog_model.h"

enum class Page { Loading, Failed, Profiles, Collections, Details };

struct AppState {
  ws::Signal<Page> page;
  ws::Signal<int> profile;  // index into catalog->profiles
  ws::Signal<int> shelf;    // the focused tile: shelf and position
  ws::Signal<int> title;
  std::shared_ptr<const Catalog> catalog;
};

// Created by the root composable; pages reach it through State().
AppState& State();
void CreateState();
