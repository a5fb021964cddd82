// Draws a draw list in software: anti-aliased rounded rectangles, images
// scaled with bilinear filtering, text, clips, opacity groups and
// scale/translate transforms. Deterministic: the same list, images and font
// always give the same bytes.
#pragma once

#include <cstdint>
#include <map>

#include "device-host/render/canvas.h"
#include "device-host/render/draw_list.h"
#include "device-host/render/font.h"

namespace ws::host {

// Decoded images by id (the fetch request id that loaded them).
using ImageStore = std::map<int32_t, Image>;

// Clears `canvas` to opaque black and draws `list` onto it.
void Rasterize(const DrawList& list, const ImageStore& images, Font& font, Canvas& canvas);

}  // namespace ws::host
