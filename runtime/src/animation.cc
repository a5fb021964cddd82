#include "src/animation.h"

#include <algorithm>
#include <cmath>

#include "src/tree.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace ws::ui {
namespace {

float* DisplayField(Display& d, TweenProperty p) {
  switch (p) {
    case TweenProperty::kRect: return &d.x;  // x, y, w, h are consecutive
    case TweenProperty::kOpacity: return &d.opacity;
    case TweenProperty::kScale: return &d.scale;
    case TweenProperty::kBackground: return nullptr;
  }
  return nullptr;
}

// Replaces a running tween of the same property, starting from where the
// display is now, so a retargeted animation never jumps.
void AddTween(Entity e, Tween tween) {
  World& w = Ui().world;
  Tweens* tweens = w.Get<Tweens>(e);
  if (tweens == nullptr) tweens = &w.Add<Tweens>(e);
  std::erase_if(tweens->active, [&](const Tween& t) { return t.property == tween.property; });
  tweens->active.push_back(tween);
}

void TweenFloat(Entity e, Display& d, TweenProperty p, float to, float duration) {
  float* field = DisplayField(d, p);
  if (*field == to) return;
  Tween t{p, {*field}, {to}, 0, 0, Ui().now_ms, duration};
  AddTween(e, t);
}

// from + (to - from) * t for x, y, w, h at once.
void Lerp4(const float* from, const float* to, float t, float* out) {
#ifdef __wasm_simd128__
  v128_t a = wasm_v128_load(from);
  v128_t b = wasm_v128_load(to);
  wasm_v128_store(out, wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_sub(b, a), wasm_f32x4_splat(t))));
#else
  for (int i = 0; i < 4; ++i) out[i] = from[i] + (to[i] - from[i]) * t;
#endif
}

bool Advance(Display& d, Tween& t, double now) {
  float progress = t.duration_ms <= 0 ? 1.0f : static_cast<float>((now - t.start_ms) / t.duration_ms);
  progress = std::clamp(progress, 0.0f, 1.0f);
  float eased = EaseOutCubic(progress);
  if (t.property == TweenProperty::kBackground) {
    d.background = MixColor(t.from_rgba, t.to_rgba, eased);
  } else if (t.property == TweenProperty::kRect) {
    Lerp4(t.from, t.to, eased, &d.x);
  } else {
    *DisplayField(d, t.property) = t.from[0] + (t.to[0] - t.from[0]) * eased;
  }
  return progress < 1.0f;
}

bool AdvanceScroll(ScrollState& s, double now) {
  if (s.start_ms < 0) return false;
  float progress = std::clamp(static_cast<float>((now - s.start_ms) / kScrollMs), 0.0f, 1.0f);
  s.offset = s.from + (s.target - s.from) * EaseOutCubic(progress);
  if (progress >= 1.0f) {
    s.offset = s.target;
    s.start_ms = -1;
    return false;
  }
  return true;
}

}  // namespace

float EaseOutCubic(float t) {
  float u = 1.0f - t;
  return 1.0f - u * u * u;
}

uint32_t MixColor(uint32_t from, uint32_t to, float t) {
  uint32_t out = 0;
  for (int shift = 0; shift < 32; shift += 8) {
    float a = static_cast<float>((from >> shift) & 0xFF);
    float b = static_cast<float>((to >> shift) & 0xFF);
    uint32_t c = static_cast<uint32_t>(std::lround(a + (b - a) * t));
    out |= (c & 0xFF) << shift;
  }
  return out;
}

void StartTransitions(Entity e, const Style& before, const Style& after) {
  World& w = Ui().world;
  Display* d = w.Get<Display>(e);
  if (d == nullptr) return;
  bool animate = after.transition_ms > 0 && d->placed;
  if (!animate) {
    d->opacity = after.opacity;
    d->scale = after.scale;
    d->background = after.background;
    return;
  }
  TweenFloat(e, *d, TweenProperty::kOpacity, after.opacity, after.transition_ms);
  TweenFloat(e, *d, TweenProperty::kScale, after.scale, after.transition_ms);
  if (before.background != after.background || d->background != after.background) {
    Tween t{TweenProperty::kBackground, {}, {}, d->background, after.background, Ui().now_ms, after.transition_ms};
    AddTween(e, t);
  }
}

void PlaceDisplay(Entity e, const LayoutBox& box) {
  World& w = Ui().world;
  Display* d = w.Get<Display>(e);
  Style* style = w.Get<Style>(e);
  if (d == nullptr || style == nullptr) return;
  if (!d->placed || style->transition_ms <= 0) {
    if (Tweens* tweens = w.Get<Tweens>(e)) {
      std::erase_if(tweens->active, [](const Tween& t) { return t.property == TweenProperty::kRect; });
    }
    d->x = box.x;
    d->y = box.y;
    d->w = box.w;
    d->h = box.h;
    d->placed = true;
    return;
  }
  Tween t{TweenProperty::kRect, {d->x, d->y, d->w, d->h}, {box.x, box.y, box.w, box.h}, 0, 0, Ui().now_ms,
          style->transition_ms};
  AddTween(e, t);
}

void ScrollTo(ScrollState& state, float target) {
  if (state.target == target && (state.start_ms >= 0 || state.offset == target)) return;
  state.from = state.offset;
  state.target = target;
  state.start_ms = Ui().now_ms;
  MarkRenderDirty();
}

bool AnimationsRunning() {
  World& w = Ui().world;
  if (w.PoolOf<Tweens>().size() > 0) return true;
  bool scrolling = false;
  w.Each<ScrollState>([&](Entity, ScrollState& s) { scrolling |= s.start_ms >= 0; });
  return scrolling;
}

void RebaseAnimations(double now_ms) {
  World& w = Ui().world;
  w.Each<Tweens>([&](Entity, Tweens& tweens) {
    for (Tween& t : tweens.active) t.start_ms = now_ms;
  });
  w.Each<ScrollState>([&](Entity, ScrollState& s) {
    if (s.start_ms >= 0) s.start_ms = now_ms;
  });
}

bool AnimationSystem(double now_ms) {
  World& w = Ui().world;
  bool running = false;
  w.Each<Tweens, Display>([&](Entity, Tweens& tweens, Display& d) {
    std::erase_if(tweens.active, [&](Tween& t) { return !Advance(d, t, now_ms); });
    if (!tweens.active.empty()) running = true;
    MarkRenderDirty();
  });
  for (Entity e : std::vector<Entity>(w.PoolOf<Tweens>().entities())) {
    if (w.Get<Tweens>(e)->active.empty()) w.Remove<Tweens>(e);
  }
  w.Each<ScrollState>([&](Entity, ScrollState& s) {
    if (s.start_ms < 0) return;
    running |= AdvanceScroll(s, now_ms);
    MarkRenderDirty();
  });
  return running;
}

}  // namespace ws::ui
