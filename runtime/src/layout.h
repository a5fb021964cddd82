// Layout: row, column, stack/box, grid and rail. Sizes are px, % of the
// parent's content box, or auto (fit the content); padding, gap, align
// (cross axis) and justify (main axis). Incremental: a node whose spec,
// content and constraints are unchanged keeps its size and its children's
// positions without being visited (positions are relative to the parent).
#pragma once

#include "src/components.h"

namespace ws::ui {

void LayoutSystem();

// Where `e` will be on screen once animations settle: the sum of its and its
// ancestors' layout positions, minus scroll targets. Used by focus.
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};
Rect TargetRect(Entity e);

// The size of a text in the host font, cached.
void MeasureText(TextContent& text);

}  // namespace ws::ui
