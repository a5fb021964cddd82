// The texts a draw list shows on screen: TEXT commands whose box, after the
// transforms and clips around them, covers at least one pixel of the screen
// and that are not fully transparent. What `expect: {text_visible}` reads.
#pragma once

#include <string>
#include <vector>

#include "device-host/render/draw_list.h"
#include "device-host/render/font.h"

namespace ws::host {

// In draw order; a text drawn twice is listed twice.
std::vector<std::string> VisibleTexts(const DrawList& list, Font& font, int width, int height);

}  // namespace ws::host
