// Rails: horizontal lists that keep only the items on screen (plus a margin
// of kRailMargin items on each side) alive as entities, building items as
// they scroll into view and disposing those that leave it.
#pragma once

#include "src/components.h"

namespace ws::ui {

constexpr int kRailMargin = 2;

// Creates or disposes rail items to match each rail's visible range.
void UpdateRailWindows();

// Scrolls every scroll container above `focused` (rails horizontally,
// scrolling columns vertically) so that it is fully visible.
void ScrollIntoView(Entity focused, bool animate);

}  // namespace ws::ui
