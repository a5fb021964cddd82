// Focus: one focused entity; D-pad keys move it to the nearest focusable
// entity in that direction by on-screen geometry; select and back go to
// handlers. Initial focus is the first focusable entity in tree order (or
// one marked autofocus).
#pragma once

#include "src/ui_context.h"

namespace ws::ui {

// Handles queued input events (the input system).
void InputSystem();
// Keeps the focus on a live focusable entity (the focus system).
void FocusSystem();
// True when an entity asked for autofocus or the focused entity went away.
bool FocusPending();

// Moves the focus to `e`, calling on_blur/on_focus and scrolling it into
// view: smoothly for navigation, at once when a page opens (`animate` false).
void SetFocus(Entity e, bool animate = true);
// The focusable entity nearest to `from` in direction `key` (kKeyUp..kKeyRight).
Entity FindNeighbor(Entity from, int32_t key);

}  // namespace ws::ui
