// The render walk's per-element geometry: where an element lands on screen,
// whether it is outside the current clip, and the clip its children get.
// Every element of every drawn frame goes through here, so the SIMD variant
// does each step on all four edges at once.
//
// A clip is kept as (x0, y0, -x1, -y1): with the far edges negated, both
// "intersect" (a lane-wise max) and "is outside" (one lane-wise compare)
// treat the four lanes alike.
#pragma once

#include <algorithm>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace ws::ui {

#ifdef __wasm_simd128__

struct ClipRect {
  v128_t edges;  // x0, y0, -x1, -y1

  static ClipRect Screen(float w, float h) { return {wasm_f32x4_make(0, 0, -w, -h)}; }
};

// An element's box on screen: (x, y, w, h) loaded from its Display and
// moved by the parent's origin.
struct ScreenBox {
  v128_t xywh;

  static ScreenBox At(const float* xywh, float origin_x, float origin_y) {
    return {wasm_f32x4_add(wasm_v128_load(xywh), wasm_f32x4_make(origin_x, origin_y, 0, 0))};
  }
  float x() const { return wasm_f32x4_extract_lane(xywh, 0); }
  float y() const { return wasm_f32x4_extract_lane(xywh, 1); }
  // (x + w, y + h, -x, -y)
  v128_t Far() const {
    v128_t sums = wasm_f32x4_add(wasm_i32x4_shuffle(xywh, xywh, 0, 1, 0, 1),
                                 wasm_i32x4_shuffle(xywh, wasm_f32x4_splat(0), 2, 3, 4, 5));
    return wasm_v128_xor(sums, wasm_f32x4_make(0.0f, 0.0f, -0.0f, -0.0f));
  }
};

// x + w <= x0 || y + h <= y0 || x >= x1 || y >= y1 on the box grown by
// (grow_x, grow_y) on every side: one comparison of (x + w, y + h, -x, -y)
// against the clip's (x0, y0, -x1, -y1).
inline bool Outside(const ScreenBox& box, float grow_x, float grow_y, const ClipRect& clip) {
  v128_t grown = wasm_f32x4_add(box.Far(), wasm_f32x4_make(grow_x, grow_y, grow_x, grow_y));
  return wasm_v128_any_true(wasm_f32x4_le(grown, clip.edges));
}

// The lane-wise max of (x0, y0, -x1, -y1) and the box's (x, y, -(x + w), -(y + h)).
inline ClipRect Intersect(const ClipRect& clip, const ScreenBox& box) {
  v128_t far = box.Far();
  v128_t near_first = wasm_f32x4_neg(wasm_i32x4_shuffle(far, far, 2, 3, 0, 1));
  return {wasm_f32x4_pmax(clip.edges, near_first)};
}

#else

struct ClipRect {
  float x0, y0, x1, y1;

  static ClipRect Screen(float w, float h) { return {0, 0, w, h}; }
};

struct ScreenBox {
  float x_, y_, w_, h_;

  static ScreenBox At(const float* xywh, float origin_x, float origin_y) {
    return {xywh[0] + origin_x, xywh[1] + origin_y, xywh[2], xywh[3]};
  }
  float x() const { return x_; }
  float y() const { return y_; }
};

// The same sums as the SIMD path, so both cull exactly the same elements.
inline bool Outside(const ScreenBox& b, float grow_x, float grow_y, const ClipRect& c) {
  return (b.x_ + b.w_) + grow_x <= c.x0 || (b.y_ + b.h_) + grow_y <= c.y0 || b.x_ - grow_x >= c.x1 ||
         b.y_ - grow_y >= c.y1;
}

inline ClipRect Intersect(const ClipRect& c, const ScreenBox& b) {
  return {std::max(c.x0, b.x_), std::max(c.y0, b.y_), std::min(c.x1, b.x_ + b.w_), std::min(c.y1, b.y_ + b.h_)};
}

#endif

}  // namespace ws::ui
