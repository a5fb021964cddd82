// PNG in and out, through libpng.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "device-host/render/canvas.h"
#include "diagnostics/result.h"

namespace ws::host {

// Any PNG libpng reads (palette, gray, 16-bit, interlaced) as 8-bit RGBA.
// Corrupt or truncated data is an error, never a crash.
Result<Image> DecodePng(std::span<const uint8_t> bytes);

std::vector<uint8_t> EncodePng(const Canvas& canvas);

}  // namespace ws::host
