#include "device-host/render/image_diff.h"

#include <cstddef>

namespace ws::host {

ImageDiff DiffImages(const Canvas& actual, const Canvas& expected) {
  ImageDiff diff;
  diff.picture = Canvas(expected.width, expected.height);
  size_t bytes = static_cast<size_t>(expected.width) * expected.height * 4;
  if (actual.width != expected.width || actual.height != expected.height || actual.rgba.size() != bytes ||
      expected.rgba.size() != bytes) {
    diff.pixels = static_cast<int64_t>(bytes / 4);
    return diff;
  }
  for (size_t i = 0; i < bytes; i += 4) {
    const uint8_t* a = &actual.rgba[i];
    const uint8_t* e = &expected.rgba[i];
    uint8_t* out = &diff.picture.rgba[i];
    if (a[0] != e[0] || a[1] != e[1] || a[2] != e[2]) {
      ++diff.pixels;
      out[0] = 255, out[1] = 0, out[2] = 255;
    } else {
      // A third of the luminance: context without competing with the marks.
      auto gray = static_cast<uint8_t>((e[0] * 77 + e[1] * 150 + e[2] * 29) / 256 / 3);
      out[0] = out[1] = out[2] = gray;
    }
    out[3] = 255;
  }
  return diff;
}

}  // namespace ws::host
