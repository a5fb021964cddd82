#include "src/render.h"

#include <algorithm>

#include "src/host_api.h"
#include "src/render_geometry.h"
#include "src/tree.h"
#include "src/worker_pool.h"


namespace ws::ui {
namespace {

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

// The component pools a frame's walk reads, looked up once per frame rather
// than once per element and component (the walk's largest cost otherwise).
struct Scene {
  ecs::Pool<TreeNode>& nodes;
  ecs::Pool<Display>& displays;
  ecs::Pool<Style>& styles;
  ecs::Pool<TextContent>& texts;
  ecs::Pool<ImageContent>& images;
  ecs::Pool<ScrollState>& scrolls;
};

void DrawContent(DrawListWriter& out, const Scene& scene, Entity e, Widget widget, const Style& s, const Display& d,
                 float x, float y) {
  if (widget == Widget::kText) {
    if (const TextContent* text = scene.texts.Get(e)) {
      out.Text(x + s.padding.left + s.border_width, y + s.padding.top + s.border_width, text->size, text->color,
               text->text);
    }
  } else if (widget == Widget::kImage) {
    const ImageContent* image = scene.images.Get(e);
    if (image == nullptr) return;
    if (image->state == ImageContent::State::kLoaded) {
      out.Image(x, y, d.w, d.h, image->image, 1.0f);
    } else if (Alpha(image->placeholder) > 0) {
      out.Rect(x, y, d.w, d.h, image->placeholder, s.radius);
    }
  }
}

void Visit(DrawListWriter& out, const Scene& scene, Entity e, float origin_x, float origin_y, const ClipRect& clip,
           bool may_split);

// The first element with several children splits its subtrees across the
// worker pool (the threads variant); each writes its own piece, and the
// pieces are joined in child order, so the list is the same either way.
void VisitChildren(DrawListWriter& out, const Scene& scene, Entity e, float x, float y, const ClipRect& clip,
                   bool may_split) {
  if (!may_split || WorkerCount() == 0) {
    ForEachChild(e, [&](Entity child) { Visit(out, scene, child, x, y, clip, /*may_split=*/false); });
    return;
  }
  std::vector<Entity> children;
  ForEachChild(e, [&](Entity child) { children.push_back(child); });
  if (children.size() < 2) {
    for (Entity child : children) Visit(out, scene, child, x, y, clip, /*may_split=*/true);
    return;
  }
  std::vector<DrawListWriter>& parts = Ui().draw_list_parts;
  if (parts.size() < children.size()) parts.resize(children.size());
  ParallelFor(static_cast<int>(children.size()), [&](int i) {
    parts[i].BeginPart();
    Visit(parts[i], scene, children[i], x, y, clip, /*may_split=*/false);
  });
  for (size_t i = 0; i < children.size(); ++i) out.Append(parts[i]);
}

void Visit(DrawListWriter& out, const Scene& scene, Entity e, float origin_x, float origin_y, const ClipRect& clip,
           bool may_split) {
  const Display& d = *scene.displays.Get(e);
  if (d.opacity <= 0) return;
  ScreenBox box = ScreenBox::At(&d.x, origin_x, origin_y);
  // A scaled element may draw outside its box; cull on the scaled bounds.
  float grow = std::max(0.0f, d.scale - 1) / 2;
  if (Outside(box, d.w * grow, d.h * grow, clip)) return;
  float x = box.x(), y = box.y();
  const Style& s = *scene.styles.Get(e);
  Widget widget = scene.nodes.Get(e)->widget;
  bool scaled = d.scale != 1.0f, faded = d.opacity < 1.0f;
  if (scaled) {
    float cx = x + d.w / 2, cy = y + d.h / 2;
    out.PushTransform(d.scale, 0, 0, d.scale, cx * (1 - d.scale), cy * (1 - d.scale));
  }
  if (faded) out.PushOpacity(d.opacity);
  DrawFrame(out, s, d, x, y);
  DrawContent(out, scene, e, widget, s, d, x, y);
  if (s.clip) out.PushClip(x, y, d.w, d.h);
  float child_x = x, child_y = y;
  if (const ScrollState* scroll = scene.scrolls.Get(e)) (widget == Widget::kRail ? child_x : child_y) -= scroll->offset;
  VisitChildren(out, scene, e, child_x, child_y, s.clip ? Intersect(clip, box) : clip, may_split);
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
  World& w = ui.world;
  Scene scene{w.PoolOf<TreeNode>(),    w.PoolOf<Display>(),     w.PoolOf<Style>(),
              w.PoolOf<TextContent>(), w.PoolOf<ImageContent>(), w.PoolOf<ScrollState>()};
  Visit(out, scene, ui.root, 0, 0, ClipRect::Screen(ui.screen_w, ui.screen_h),
        /*may_split=*/true);
  std::span<const uint8_t> bytes = out.Finish();
  ui.stats.submitted = true;
  ui.stats.draw_commands = out.count();
  host_api::Submit(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

}  // namespace ws::ui
