// canvas.h (included by overlay.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/window/overlay.h"

#include <algorithm>
#include <cstdint>

#include "device-host/render/draw_list.h"
#include "device-host/render/rasterizer.h"

namespace ws::host {
namespace {

struct PanelStyle {
  uint32_t background;  // 0xRRGGBBAA, drawn opaque, then blended with `alpha`
  uint32_t text;
  float alpha;
};
constexpr PanelStyle kStatsStyle{0x101418FF, 0xF0F0F0FF, 0.75F};
constexpr PanelStyle kErrorStyle{0x5A0E12FF, 0xFFE8E8FF, 0.9F};

// Text size and spacing grow with the device's screen, so the overlay reads
// the same on a 720p and a 4K device (the window scales both down alike).
struct Metrics {
  float text_px;
  int line_px;
  int padding;
  int margin;
};

Metrics MetricsFor(const Canvas& frame, Font& font) {
  float text_px = std::max(12.0F, static_cast<float>(frame.height) / 40.0F);
  int line_px = static_cast<int>(font.Measure("Ag", text_px).height);
  int padding = static_cast<int>(text_px * 0.6F);
  return {text_px, line_px, padding, padding};
}

// The panel alone, opaque: a background and the lines of text.
Canvas RenderPanel(int width, int height, const std::vector<std::string>& lines, const PanelStyle& style,
                   const Metrics& m, Font& font) {
  DrawList list;
  DrawCommand background;
  background.op = DrawOp::kRect;
  background.w = static_cast<float>(width);
  background.h = static_cast<float>(height);
  background.rgba = style.background;
  list.commands.push_back(background);
  for (size_t i = 0; i < lines.size(); ++i) {
    DrawCommand text;
    text.op = DrawOp::kText;
    text.x = static_cast<float>(m.padding);
    text.y = static_cast<float>(m.padding + static_cast<int>(i) * m.line_px);
    text.size = m.text_px;
    text.rgba = style.text;
    text.text = lines[i];
    list.commands.push_back(text);
  }
  Canvas panel(width, height);
  Rasterize(list, ImageStore{}, font, panel);
  return panel;
}

void Blend(Canvas& frame, const Canvas& panel, int left, int top, float alpha) {
  int a = static_cast<int>(alpha * 256);
  for (int y = 0; y < panel.height; ++y) {
    int fy = top + y;
    if (fy < 0 || fy >= frame.height) continue;
    for (int x = 0; x < panel.width; ++x) {
      int fx = left + x;
      if (fx < 0 || fx >= frame.width) continue;
      uint8_t* dst = &frame.rgba[(static_cast<size_t>(fy) * frame.width + fx) * 4];
      const uint8_t* src = &panel.rgba[(static_cast<size_t>(y) * panel.width + x) * 4];
      for (int c = 0; c < 3; ++c) dst[c] = static_cast<uint8_t>((src[c] * a + dst[c] * (256 - a)) >> 8);
      dst[3] = 255;
    }
  }
}

}  // namespace

void DrawOverlay(Canvas& frame, const std::vector<std::string>& lines, bool error, Font& font) {
  if (lines.empty() || frame.width <= 0 || frame.height <= 0) return;
  Metrics m = MetricsFor(frame, font);
  int text_width = 0;
  for (const std::string& line : lines) text_width = std::max(text_width, static_cast<int>(font.Measure(line, m.text_px).width));
  int height = std::min(frame.height, static_cast<int>(lines.size()) * m.line_px + 2 * m.padding);
  if (error) {
    // Along the bottom, the frame's full width: diagnostics are long lines.
    int width = std::max(1, frame.width - 2 * m.margin);
    Canvas panel = RenderPanel(width, height, lines, kErrorStyle, m, font);
    Blend(frame, panel, m.margin, std::max(0, frame.height - m.margin - height), kErrorStyle.alpha);
    return;
  }
  int width = std::clamp(text_width + 2 * m.padding, 1, std::max(1, frame.width - 2 * m.margin));
  Canvas panel = RenderPanel(width, height, lines, kStatsStyle, m, font);
  Blend(frame, panel, m.margin, m.margin, kStatsStyle.alpha);
}

}  // namespace ws::host
