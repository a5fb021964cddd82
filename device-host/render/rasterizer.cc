// The software rasterizer. Geometry is computed in double; coverage and
// blending end in integer arithmetic, so the same list gives the same bytes.
//
// Anti-aliasing is analytic: a pixel's coverage by an axis-aligned edge is
// the overlap of the pixel's [p, p+1) interval with the shape along x times
// the overlap along y; inside a rounded corner it is additionally limited by
// clamp(radius + 0.5 - distance(pixel center, corner center), 0, 1). Clips
// are hard-edged at whole pixels (their edges round to the nearest pixel).
// canvas.h (included by rasterizer.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/render/rasterizer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "device-host/render/utf8.h"

namespace ws::host {
namespace {

// Pixel indices are kept within this range before converting to int, so
// huge (but finite) coordinates cannot overflow.
constexpr double kFarPixel = 1e9;

// Scale and translation only: PUSH_TRANSFORM's b and c (rotation, skew) are
// ignored, as docs/host-abi.md lets hosts do. A negative scale mirrors
// rectangles and images; text is never mirrored (its size uses |sy|).
struct Transform {
  double sx = 1, sy = 1, tx = 0, ty = 0;
};

// Whole pixels [x0, x1) x [y0, y1).
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool Empty() const { return x0 >= x1 || y0 >= y1; }
};

// A rectangle in device pixels. x0/y0 are where the command's own x/y went,
// so under a negative scale x0 > x1; Normalized() orders them.
struct DeviceRect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool Finite() const {
    return std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1);
  }
  DeviceRect Normalized() const {
    return {std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
  }
};

struct Rgb {
  uint8_t r, g, b;
};

Rgb ColorOf(uint32_t rgba) {
  return {static_cast<uint8_t>(rgba >> 24), static_cast<uint8_t>(rgba >> 16), static_cast<uint8_t>(rgba >> 8)};
}

// [0, 1], with NaN as 0 (hand-built lists skip the parser's checks).
double Unit(double v) { return v > 0 ? (v < 1 ? v : 1) : 0; }

int ClampToInt(double v, int lo, int hi) {
  return static_cast<int>(std::clamp(v, static_cast<double>(lo), static_cast<double>(hi)));
}

int NearestPixel(double v) { return static_cast<int>(std::clamp(std::floor(v + 0.5), -kFarPixel, kFarPixel)); }

// Overlap of pixel [p, p+1) with [lo, hi), in [0, 1].
double Overlap(int p, double lo, double hi) {
  return std::clamp(std::min(p + 1.0, hi) - std::max(static_cast<double>(p), lo), 0.0, 1.0);
}

// Source over an opaque destination with alpha `a` in 0..255.
inline void Blend(uint8_t* dst, Rgb c, int a) {
  if (a <= 0) return;
  if (a >= 255) {
    dst[0] = c.r;
    dst[1] = c.g;
    dst[2] = c.b;
    return;
  }
  int keep = 255 - a;
  dst[0] = static_cast<uint8_t>((c.r * a + dst[0] * keep + 127) / 255);
  dst[1] = static_cast<uint8_t>((c.g * a + dst[1] * keep + 127) / 255);
  dst[2] = static_cast<uint8_t>((c.b * a + dst[2] * keep + 127) / 255);
}

// One axis of a bilinear lookup: two source indices and the weight of the
// second in 1/256.
struct Tap {
  int i0 = 0, i1 = 0, f = 0;
};

Tap TapAt(double u, int size) {
  u = u > 0 ? std::min(u, static_cast<double>(size - 1)) : 0.0;  // NaN (inf / inf) too
  Tap tap;
  tap.i0 = static_cast<int>(std::floor(u));
  tap.f = static_cast<int>(std::lround((u - tap.i0) * 256));
  if (tap.f == 256) ++tap.i0, tap.f = 0;
  tap.i0 = std::min(tap.i0, size - 1);
  tap.i1 = std::min(tap.i0 + 1, size - 1);
  return tap;
}

// Bilinear filtering on premultiplied values, so transparent texels do not
// bleed their (meaningless) color into the edges of opaque ones.
struct Premultiplied {
  uint32_t c[3];
  uint32_t a;
};

Premultiplied SampleBilinear(const Image& image, Tap tx, Tap ty) {
  const uint8_t* row0 = image.rgba.data() + static_cast<size_t>(ty.i0) * image.width * 4;
  const uint8_t* row1 = image.rgba.data() + static_cast<size_t>(ty.i1) * image.width * 4;
  const uint8_t* texel[4] = {row0 + tx.i0 * 4, row0 + tx.i1 * 4, row1 + tx.i0 * 4, row1 + tx.i1 * 4};
  const uint64_t weight[4] = {static_cast<uint64_t>((256 - tx.f) * (256 - ty.f)),
                              static_cast<uint64_t>(tx.f * (256 - ty.f)),
                              static_cast<uint64_t>((256 - tx.f) * ty.f), static_cast<uint64_t>(tx.f * ty.f)};
  uint64_t alpha = 0, color[3] = {0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    uint64_t wa = weight[i] * texel[i][3];
    alpha += wa;
    for (int c = 0; c < 3; ++c) color[c] += wa * texel[i][c];
  }
  constexpr uint64_t kColorScale = 65536 * 255;  // weights sum to 65536
  Premultiplied out;
  out.a = static_cast<uint32_t>((alpha + 32768) >> 16);
  for (int c = 0; c < 3; ++c) out.c[c] = static_cast<uint32_t>((color[c] + kColorScale / 2) / kColorScale);
  return out;
}

// Premultiplied source over an opaque destination, scaled by `k` in 0..255.
inline void BlendPremultiplied(uint8_t* dst, const Premultiplied& src, int k) {
  uint32_t a = (src.a * k + 127) / 255;
  uint32_t keep = 255 - a;
  for (int c = 0; c < 3; ++c) {
    uint32_t value = (src.c[c] * k + 127) / 255 + (dst[c] * keep + 127) / 255;
    dst[c] = static_cast<uint8_t>(std::min<uint32_t>(value, 255));
  }
}

bool ValidImage(const Image& image) {
  return image.width > 0 && image.height > 0 &&
         image.rgba.size() == static_cast<size_t>(image.width) * image.height * 4;
}

class Rasterizer {
 public:
  Rasterizer(const ImageStore& images, Font& font, Canvas& canvas)
      : images_(images), font_(font), canvas_(canvas) {
    clips_.push_back({0, 0, canvas.width, canvas.height});
  }

  void Draw(const DrawCommand& cmd) {
    switch (cmd.op) {
      case DrawOp::kRect: FillRect(cmd); break;
      case DrawOp::kImage: DrawImage(cmd); break;
      case DrawOp::kText: DrawText(cmd); break;
      case DrawOp::kPushClip: PushClip(cmd); break;
      case DrawOp::kPushOpacity: opacities_.push_back(opacities_.back() * Unit(cmd.opacity)); break;
      case DrawOp::kPushTransform: PushTransform(cmd); break;
      // The parser balances pushes and pops; a hand-built list may not, and
      // must not pop the base entries.
      case DrawOp::kPopClip: PopUnlessBase(clips_); break;
      case DrawOp::kPopOpacity: PopUnlessBase(opacities_); break;
      case DrawOp::kPopTransform: PopUnlessBase(transforms_); break;
    }
  }

 private:
  template <typename T>
  static void PopUnlessBase(std::vector<T>& stack) {
    if (stack.size() > 1) stack.pop_back();
  }

  const Transform& transform() const { return transforms_.back(); }
  const PixelRect& clip() const { return clips_.back(); }
  double opacity() const { return opacities_.back(); }
  uint8_t* PixelAt(int x, int y) {
    return canvas_.rgba.data() + (static_cast<size_t>(y) * canvas_.width + x) * 4;
  }

  DeviceRect Map(float x, float y, float w, float h) const {
    const Transform& t = transform();
    return {t.sx * x + t.tx, t.sy * y + t.ty, t.sx * (static_cast<double>(x) + w) + t.tx,
            t.sy * (static_cast<double>(y) + h) + t.ty};
  }

  // The pixels a (normalized, finite) rectangle touches, within the clip.
  PixelRect Touched(const DeviceRect& r) const {
    const PixelRect& c = clip();
    return {ClampToInt(std::floor(r.x0), c.x0, c.x1), ClampToInt(std::floor(r.y0), c.y0, c.y1),
            ClampToInt(std::ceil(r.x1), c.x0, c.x1), ClampToInt(std::ceil(r.y1), c.y0, c.y1)};
  }

  void PushClip(const DrawCommand& cmd) {
    DeviceRect r = Map(cmd.x, cmd.y, cmd.w, cmd.h).Normalized();
    PixelRect next;  // empty: a clip we cannot place hides everything
    if (r.Finite()) {
      const PixelRect& c = clip();
      next = {std::max(c.x0, NearestPixel(r.x0)), std::max(c.y0, NearestPixel(r.y0)),
              std::min(c.x1, NearestPixel(r.x1)), std::min(c.y1, NearestPixel(r.y1))};
      // Disjoint clips leave x1 < x0; keep lo <= hi for the clamps in Touched.
      next.x1 = std::max(next.x1, next.x0);
      next.y1 = std::max(next.y1, next.y0);
    }
    clips_.push_back(next);
  }

  void PushTransform(const DrawCommand& cmd) {
    const Transform& p = transform();
    const float* m = cmd.matrix;  // a b c d e f; b and c ignored (see Transform)
    transforms_.push_back({p.sx * m[0], p.sy * m[3], p.sx * m[4] + p.tx, p.sy * m[5] + p.ty});
  }

  // Coverage of each column of `area` by [lo, hi), into columns_.
  void ColumnCoverage(const PixelRect& area, double lo, double hi) {
    columns_.resize(static_cast<size_t>(area.x1 - area.x0));
    for (int x = area.x0; x < area.x1; ++x) columns_[x - area.x0] = Overlap(x, lo, hi);
  }

  void FillRect(const DrawCommand& cmd) {
    DeviceRect r = Map(cmd.x, cmd.y, cmd.w, cmd.h).Normalized();
    double alpha = (cmd.rgba & 0xFF) * opacity();
    if (!r.Finite() || !(alpha > 0)) return;
    const Transform& t = transform();
    double radius = cmd.radius * std::min(std::fabs(t.sx), std::fabs(t.sy));
    radius = std::clamp(std::isfinite(radius) ? radius : 0.0, 0.0, std::min(r.x1 - r.x0, r.y1 - r.y0) / 2);
    PixelRect area = Touched(r);
    if (area.Empty()) return;
    ColumnCoverage(area, r.x0, r.x1);
    Rgb color = ColorOf(cmd.rgba);
    for (int y = area.y0; y < area.y1; ++y) {
      double cy = Overlap(y, r.y0, r.y1), py = y + 0.5;
      bool corner_row = radius > 0 && (py < r.y0 + radius || py > r.y1 - radius);
      uint8_t* dst = PixelAt(area.x0, y);
      for (int x = area.x0; x < area.x1; ++x, dst += 4) {
        double coverage = columns_[x - area.x0] * cy;
        if (corner_row) coverage = std::min(coverage, CornerCoverage(r, radius, x + 0.5, py));
        Blend(dst, color, static_cast<int>(alpha * coverage + 0.5));
      }
    }
  }

  // 1 outside the corner squares; inside one, how far the pixel center lies
  // within the corner's circle (a one-pixel ramp across the arc).
  static double CornerCoverage(const DeviceRect& r, double radius, double px, double py) {
    double cx;
    if (px < r.x0 + radius) {
      cx = r.x0 + radius;
    } else if (px > r.x1 - radius) {
      cx = r.x1 - radius;
    } else {
      return 1;
    }
    double cy = py < r.y0 + radius ? r.y0 + radius : r.y1 - radius;
    double dx = px - cx, dy = py - cy;
    return std::clamp(radius + 0.5 - std::sqrt(dx * dx + dy * dy), 0.0, 1.0);
  }

  void DrawImage(const DrawCommand& cmd) {
    auto found = images_.find(cmd.image);
    if (found == images_.end() || !ValidImage(found->second)) return;
    const Image& image = found->second;
    DeviceRect oriented = Map(cmd.x, cmd.y, cmd.w, cmd.h);
    DeviceRect r = oriented.Normalized();
    double k = opacity() * Unit(cmd.opacity) * 255;
    if (!r.Finite() || !(k > 0) || !(r.x1 > r.x0) || !(r.y1 > r.y0)) return;
    PixelRect area = Touched(r);
    if (area.Empty()) return;
    ColumnCoverage(area, r.x0, r.x1);
    // Pixel centers map into the image through the oriented rectangle, so a
    // mirroring transform mirrors the image.
    column_taps_.resize(columns_.size());
    for (int x = area.x0; x < area.x1; ++x) {
      double u = (x + 0.5 - oriented.x0) / (oriented.x1 - oriented.x0) * image.width - 0.5;
      column_taps_[x - area.x0] = TapAt(u, image.width);
    }
    for (int y = area.y0; y < area.y1; ++y) {
      double v = (y + 0.5 - oriented.y0) / (oriented.y1 - oriented.y0) * image.height - 0.5;
      Tap row_tap = TapAt(v, image.height);
      double ky = k * Overlap(y, r.y0, r.y1);
      uint8_t* dst = PixelAt(area.x0, y);
      for (int x = area.x0; x < area.x1; ++x, dst += 4) {
        int weight = static_cast<int>(ky * columns_[x - area.x0] + 0.5);
        if (weight <= 0) continue;
        BlendPremultiplied(dst, SampleBilinear(image, column_taps_[x - area.x0], row_tap), weight);
      }
    }
  }

  void DrawText(const DrawCommand& cmd) {
    const Transform& t = transform();
    double scaled = cmd.size * std::fabs(t.sy);
    int alpha = static_cast<int>((cmd.rgba & 0xFF) * opacity() + 0.5);
    double pen = t.sx * cmd.x + t.tx, top = t.sy * cmd.y + t.ty;
    if (!(scaled > 0) || !std::isfinite(scaled) || alpha <= 0 || !std::isfinite(pen) || !std::isfinite(top)) return;
    // The font caps sizes far below this; the cap keeps the cast defined.
    float size = static_cast<float>(std::min(scaled, kFarPixel));
    // No glyph reaches further than its size above or below the line box, so
    // lines scrolled out of the clip cost nothing.
    if (top - size >= clip().y1 || top + 3.0 * size <= clip().y0) return;
    int baseline = NearestPixel(top + font_.Ascent(size));
    Rgb color = ColorOf(cmd.rgba);
    for (uint32_t codepoint : DecodeUtf8(cmd.text)) {
      if (pen - size >= clip().x1) break;  // advances are never negative
      const Font::Glyph& glyph = font_.GlyphFor(codepoint, size);
      DrawGlyph(glyph, NearestPixel(pen) + glyph.left, baseline - glyph.top, color, alpha);
      pen += glyph.advance;
    }
  }

  void DrawGlyph(const Font::Glyph& glyph, int left, int top, Rgb color, int alpha) {
    const PixelRect& c = clip();
    int x0 = std::max(left, c.x0), x1 = std::min(left + glyph.width, c.x1);
    int y0 = std::max(top, c.y0), y1 = std::min(top + glyph.height, c.y1);
    for (int y = y0; y < y1; ++y) {
      const uint8_t* coverage = glyph.coverage.data() + static_cast<size_t>(y - top) * glyph.width;
      uint8_t* dst = PixelAt(x0, y);
      for (int x = x0; x < x1; ++x, dst += 4) Blend(dst, color, (coverage[x - left] * alpha + 127) / 255);
    }
  }

  const ImageStore& images_;
  Font& font_;
  Canvas& canvas_;
  std::vector<Transform> transforms_{Transform{}};
  std::vector<PixelRect> clips_;
  std::vector<double> opacities_{1.0};
  std::vector<double> columns_;
  std::vector<Tap> column_taps_;
};

void ClearToBlack(Canvas& canvas) {
  canvas.rgba.resize(static_cast<size_t>(canvas.width) * canvas.height * 4);
  for (size_t i = 0; i < canvas.rgba.size(); i += 4) {
    canvas.rgba[i] = canvas.rgba[i + 1] = canvas.rgba[i + 2] = 0;
    canvas.rgba[i + 3] = 255;
  }
}

}  // namespace

void Rasterize(const DrawList& list, const ImageStore& images, Font& font, Canvas& canvas) {
  if (canvas.width <= 0 || canvas.height <= 0) {
    canvas.rgba.clear();
    return;
  }
  ClearToBlack(canvas);
  Rasterizer rasterizer(images, font, canvas);
  for (const DrawCommand& cmd : list.commands) rasterizer.Draw(cmd);
}

}  // namespace ws::host
