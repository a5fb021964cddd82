#include "src/render.h"

#include <algorithm>

#include "src/host_api.h"
#include "src/tree.h"
#include "src/worker_pool.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace ws::ui {
namespace {

struct Clip {
  float x0, y0, x1, y1;
};

bool Outside(float x, float y, float w, float h, const Clip& c) {
#ifdef __wasm_simd128__
  // (x+w, y+h, -x, -y) <= (c.x0, c.y0, -c.x1, -c.y1) in one comparison.
  v128_t box = wasm_f32x4_add(wasm_f32x4_make(x, y, -x, -y), wasm_f32x4_make(w, h, 0, 0));
  return wasm_v128_any_true(wasm_f32x4_le(box, wasm_f32x4_make(c.x0, c.y0, -c.x1, -c.y1)));
#else
  return x + w <= c.x0 || y + h <= c.y0 || x >= c.x1 || y >= c.y1;
#endif
}

uint8_t Alpha(uint32_t rgba) { return rgba & 0xFF; }

void DrawFrame(DrawListWriter& out, const Style& s, const Display& d, float x, float y) {
  float bw = s.border_width;
  bool border = bw > 0 && Alpha(s.border_color) > 0;
  if (border && Alpha(d.background) > 0) {
    out.Rect(x, y, d.w, d.h, s.border_color, s.radius);
    out.Rect(x + bw, y + bw, d.w - 2 * bw, d.h - 2 * bw, d.background, std::max(0.0f, s.radius - bw));
    return;
  }
  if (Alpha(d.background) > 0) out.Rect(x, y, d.w, d.h, d.background, s.radius);
  if (border) {
    out.Rect(x, y, d.w, bw, s.border_color, 0);
    out.Rect(x, y + d.h - bw, d.w, bw, s.border_color, 0);
    out.Rect(x, y + bw, bw, d.h - 2 * bw, s.border_color, 0);
    out.Rect(x + d.w - bw, y + bw, bw, d.h - 2 * bw, s.border_color, 0);
  }
}

void DrawContent(DrawListWriter& out, Entity e, const Style& s, const Display& d, float x, float y) {
  World& w = Ui().world;
  if (TextContent* text = w.Get<TextContent>(e)) {
    out.Text(x + s.padding.left + s.border_width, y + s.padding.top + s.border_width, text->size, text->color,
             text->text);
  } else if (ImageContent* image = w.Get<ImageContent>(e)) {
    if (image->state == ImageContent::State::kLoaded) {
      out.Image(x, y, d.w, d.h, image->image, 1.0f);
    } else if (Alpha(image->placeholder) > 0) {
      out.Rect(x, y, d.w, d.h, image->placeholder, s.radius);
    }
  }
}

void Visit(DrawListWriter& out, Entity e, float origin_x, float origin_y, Clip clip, bool may_split);

// The first element with several children splits its subtrees across the
// worker pool (the threads variant); each writes its own piece, and the
// pieces are joined in child order, so the list is the same either way.
void VisitChildren(DrawListWriter& out, Entity e, float x, float y, const Clip& clip, bool may_split) {
  std::vector<Entity> children;
  ForEachChild(e, [&](Entity child) { children.push_back(child); });
  if (!may_split || children.size() < 2 || WorkerCount() == 0) {
    for (Entity child : children) Visit(out, child, x, y, clip, may_split && children.size() < 2);
    return;
  }
  std::vector<DrawListWriter> parts(children.size());
  ParallelFor(static_cast<int>(children.size()), [&](int i) {
    parts[i].BeginPart();
    Visit(parts[i], children[i], x, y, clip, /*may_split=*/false);
  });
  for (const DrawListWriter& part : parts) out.Append(part);
}

void Visit(DrawListWriter& out, Entity e, float origin_x, float origin_y, Clip clip, bool may_split) {
  World& w = Ui().world;
  const Display& d = *w.Get<Display>(e);
  const Style& s = *w.Get<Style>(e);
  if (d.opacity <= 0) return;
  float x = origin_x + d.x, y = origin_y + d.y;
  // A scaled element may draw outside its box; cull on the scaled bounds.
  float grow_x = d.w * std::max(0.0f, d.scale - 1) / 2, grow_y = d.h * std::max(0.0f, d.scale - 1) / 2;
  if (Outside(x - grow_x, y - grow_y, d.w + 2 * grow_x, d.h + 2 * grow_y, clip)) return;
  bool scaled = d.scale != 1.0f, faded = d.opacity < 1.0f;
  if (scaled) {
    float cx = x + d.w / 2, cy = y + d.h / 2;
    out.PushTransform(d.scale, 0, 0, d.scale, cx * (1 - d.scale), cy * (1 - d.scale));
  }
  if (faded) out.PushOpacity(d.opacity);
  DrawFrame(out, s, d, x, y);
  DrawContent(out, e, s, d, x, y);
  if (s.clip) {
    out.PushClip(x, y, d.w, d.h);
    clip = {std::max(clip.x0, x), std::max(clip.y0, y), std::min(clip.x1, x + d.w), std::min(clip.y1, y + d.h)};
  }
  float child_x = x, child_y = y;
  if (ScrollState* scroll = w.Get<ScrollState>(e)) {
    (w.Get<TreeNode>(e)->widget == Widget::kRail ? child_x : child_y) -= scroll->offset;
  }
  VisitChildren(out, e, child_x, child_y, clip, may_split);
  if (s.clip) out.PopClip();
  if (faded) out.PopOpacity();
  if (scaled) out.PopTransform();
}

}  // namespace

void RenderSystem() {
  UiContext& ui = Ui();
  ui.stats.submitted = false;
  ui.stats.draw_commands = 0;
  if (!ui.render_dirty || !ui.world.Alive(ui.root)) return;
  ui.render_dirty = false;
  DrawListWriter& out = ui.draw_list;
  out.Begin();
  Visit(out, ui.root, 0, 0, {0, 0, ui.screen_w, ui.screen_h}, /*may_split=*/true);
  const std::vector<uint8_t>& bytes = out.Finish();
  ui.stats.submitted = true;
  ui.stats.draw_commands = out.count();
  host_api::Submit(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

}  // namespace ws::ui
