// The device font (DejaVu Sans) through FreeType: the same metrics for
// `measure_text` and for drawing TEXT, so layout and pixels agree.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "device-host/render/canvas.h"
#include "diagnostics/result.h"

namespace ws::host {

struct TextSize {
  uint32_t width = 0;   // pixels, rounded up
  uint32_t height = 0;  // line height at this size, rounded up
};

class Font {
 public:
  // The default font file: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf.
  static const char* DefaultPath();
  static Result<std::unique_ptr<Font>> Load(const std::string& path);
  ~Font();

  TextSize Measure(std::string_view utf8, float size_px);
  float Ascent(float size_px);
  // Coverage of one glyph at a size, cached.
  struct Glyph {
    int left = 0, top = 0;      // bitmap offset from the pen position (top is up from baseline)
    int width = 0, height = 0;  // bitmap size
    float advance = 0;          // pen advance in pixels
    std::vector<uint8_t> coverage;  // width * height, 0..255
  };
  const Glyph& GlyphFor(uint32_t codepoint, float size_px);

 private:
  Font() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ws::host
