#include "device-host/render/visible_text.h"

#include <algorithm>
#include <cmath>

namespace ws::host {
namespace {

// The rasterizer's model, reduced to what decides visibility: scale and
// translation (rotation and skew are ignored there too), clip rectangles and
// group opacity.
struct Transform {
  double sx = 1, sy = 1, tx = 0, ty = 0;
};
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  Box Intersect(const Box& o) const {
    return {std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
  }
  // Covers at least a pixel's worth in both directions; NaN covers nothing.
  bool Shows() const { return x1 - x0 >= 1 && y1 - y0 >= 1; }
};

class TextFinder {
 public:
  TextFinder(Font& font, int width, int height) : font_(font) {
    clips_.push_back({0, 0, static_cast<double>(width), static_cast<double>(height)});
  }

  void Visit(const DrawCommand& cmd, std::vector<std::string>& out) {
    switch (cmd.op) {
      case DrawOp::kText:
        if (Shows(cmd)) out.push_back(cmd.text);
        break;
      case DrawOp::kPushClip: clips_.push_back(clips_.back().Intersect(Map(cmd))); break;
      case DrawOp::kPushOpacity: opacities_.push_back(opacities_.back() * std::clamp(cmd.opacity, 0.0f, 1.0f)); break;
      case DrawOp::kPushTransform: {
        const Transform& p = transforms_.back();
        transforms_.push_back({p.sx * cmd.matrix[0], p.sy * cmd.matrix[3], p.sx * cmd.matrix[4] + p.tx,
                               p.sy * cmd.matrix[5] + p.ty});
        break;
      }
      case DrawOp::kPopClip: PopUnlessBase(clips_); break;
      case DrawOp::kPopOpacity: PopUnlessBase(opacities_); break;
      case DrawOp::kPopTransform: PopUnlessBase(transforms_); break;
      case DrawOp::kRect:
      case DrawOp::kImage: break;
    }
  }

 private:
  template <typename T>
  static void PopUnlessBase(std::vector<T>& stack) {
    if (stack.size() > 1) stack.pop_back();
  }

  Box Map(const DrawCommand& cmd) const {
    const Transform& t = transforms_.back();
    double x0 = t.sx * cmd.x + t.tx, x1 = t.sx * (static_cast<double>(cmd.x) + cmd.w) + t.tx;
    double y0 = t.sy * cmd.y + t.ty, y1 = t.sy * (static_cast<double>(cmd.y) + cmd.h) + t.ty;
    return {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
  }

  bool Shows(const DrawCommand& cmd) {
    const Transform& t = transforms_.back();
    double size = cmd.size * std::fabs(t.sy);
    double alpha = (cmd.rgba & 0xFF) * opacities_.back();
    if (!(size > 0) || !std::isfinite(size) || !(alpha >= 1) || cmd.text.empty()) return false;
    TextSize measured = font_.Measure(cmd.text, static_cast<float>(std::min(size, 1e4)));
    double left = t.sx * cmd.x + t.tx, top = t.sy * cmd.y + t.ty;
    Box box{left, top, left + measured.width, top + measured.height};
    return box.Intersect(clips_.back()).Shows();
  }

  Font& font_;
  std::vector<Transform> transforms_{Transform{}};
  std::vector<Box> clips_;
  std::vector<double> opacities_{1.0};
};

}  // namespace

std::vector<std::string> VisibleTexts(const DrawList& list, Font& font, int width, int height) {
  std::vector<std::string> texts;
  TextFinder finder(font, width, height);
  for (const DrawCommand& cmd : list.commands) finder.Visit(cmd, texts);
  return texts;
}

}  // namespace ws::host
