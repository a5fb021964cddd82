// The composables of catalog, one page per file.
#pragma once

#include <string>
#include <wasmship/ui.hpp>

#include "catalog_model.h"

UI_COMPOSABLE ws::View ProfilesPage();
UI_COMPOSABLE ws::View ProfileTile(const Profile& profile, int index);
UI_COMPOSABLE ws::View CollectionsPage();
UI_COMPOSABLE ws::View ShelfRow(int shelf);
UI_COMPOSABLE ws::View PosterTile(const Title& title, int shelf, int index);
UI_COMPOSABLE ws::View DetailsPage();
UI_COMPOSABLE ws::View ActionButton(const std::string& label, bool autofocus, ws::Handler on_press);
