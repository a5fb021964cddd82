// Comparing a screen with its golden image, pixel by pixel, and a picture of
// where they differ for the person reading a failed test.
#pragma once

#include <cstdint>

#include "device-host/render/canvas.h"

namespace ws::host {

struct ImageDiff {
  int64_t pixels = 0;  // pixels whose RGB differs (alpha is ignored: screens are opaque)
  // The expected image dimmed to gray, with every differing pixel in
  // magenta, so the changed regions stand out at a glance.
  Canvas picture;
};

// `actual` and `expected` must have the same size (the caller checks it and
// says so: a golden of another size is its own kind of failure).
ImageDiff DiffImages(const Canvas& actual, const Canvas& expected);

}  // namespace ws::host
