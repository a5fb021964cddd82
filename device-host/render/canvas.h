// An RGBA8 pixel buffer: what the software rasterizer draws into and what a
// screenshot writes out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ws::host {

struct Canvas {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // width * height * 4 bytes, rows top to bottom

  Canvas() = default;
  Canvas(int w, int h) : width(w), height(h), rgba(static_cast<size_t>(w) * h * 4, 0) {}
};

// A decoded image (straight, not premultiplied, alpha).
using Image = Canvas;

}  // namespace ws::host
