// Runtime-internal hooks between widgets and the systems that own parts of
// their behaviour.
#pragma once

#include "src/world.h"
#include "wasmship/props.hpp"

namespace ws::ui {

// Creates or updates a rail's state from its props (rail.cc).
void ConfigureRail(Entity e, const RailProps& props);

}  // namespace ws::ui
