// The preview window's overlay, drawn in software with the device's own
// font and rasterizer (so it looks the same as the app's text, and needs
// nothing from SDL): a translucent dark panel at the top left (statistics),
// or a red-tinted one along the bottom (a build error over the last good
// frame).
#pragma once

#include <string>
#include <vector>

#include "device-host/render/canvas.h"
#include "device-host/render/font.h"

namespace ws::host {

// Draws `lines` over `frame` (in place). No lines: nothing is drawn.
void DrawOverlay(Canvas& frame, const std::vector<std::string>& lines, bool error, Font& font);

}  // namespace ws::host
