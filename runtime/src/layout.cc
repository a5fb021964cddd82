#include "src/layout.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "src/animation.h"
#include "src/host_api.h"
#include "src/rail.h"
#include "src/tree.h"

namespace ws::ui {
namespace {

struct Size {
  float w = 0, h = 0;
};

float Resolve(const Length& l, float avail) {
  switch (l.unit) {
    case Length::Unit::Px: return l.value;
    case Length::Unit::Percent: return avail * l.value / 100.0f;
    case Length::Unit::Auto: return NAN;
  }
  return NAN;
}

float Offset(float free, Justify justify) {
  if (free <= 0) return 0;
  switch (justify) {
    case Justify::Center: return free / 2;
    case Justify::End: return free;
    default: return 0;
  }
}

float CrossOffset(float free, Align align) {
  if (free <= 0) return 0;
  switch (align) {
    case Align::Center: return free / 2;
    case Align::End: return free;
    default: return 0;
  }
}

Size LayoutNode(Entity e, float avail_w, float avail_h);

// Sets a child's position and hands changed boxes to the display (which
// snaps or animates).
void Place(Entity child, float x, float y) {
  LayoutBox* box = Ui().world.Get<LayoutBox>(child);
  box->x = x;
  box->y = y;
  Display* d = Ui().world.Get<Display>(child);
  if (!d->placed || d->x != x || d->y != y || d->w != box->w || d->h != box->h) PlaceDisplay(child, *box);
}

std::vector<Entity> Children(Entity e) {
  std::vector<Entity> out;
  ForEachChild(e, [&](Entity c) { out.push_back(c); });
  return out;
}

bool IsAuto(const Length& l) { return l.unit == Length::Unit::Auto; }

// The inner box of a node: the space inside padding and border, and whether
// each axis has a size of its own (else it shrinks to fit the content).
struct Inner {
  float w = 0, h = 0;
  bool fixed_w = false, fixed_h = false;
};

Size LayoutLinear(Entity e, bool horizontal, const Style& s, const Inner& in) {
  World& w = Ui().world;
  std::vector<Entity> kids = Children(e);
  float inner_w = in.w, inner_h = in.h;
  float inner_main = (horizontal ? in.fixed_w : in.fixed_h) ? (horizontal ? in.w : in.h) : NAN;
  float inner_cross = (horizontal ? in.fixed_h : in.fixed_w) ? (horizontal ? in.h : in.w) : NAN;
  std::vector<Size> sizes(kids.size());
  float used = 0, cross = 0, grow_total = 0;
  for (size_t i = 0; i < kids.size(); ++i) {
    Style* cs = w.Get<Style>(kids[i]);
    if (cs->grow > 0) {
      grow_total += cs->grow;
      continue;
    }
    sizes[i] = LayoutNode(kids[i], inner_w, inner_h);
    used += horizontal ? sizes[i].w : sizes[i].h;
  }
  if (!kids.empty()) used += s.gap * static_cast<float>(kids.size() - 1);
  float free = std::isfinite(inner_main) ? inner_main - used : 0;
  for (size_t i = 0; i < kids.size(); ++i) {
    Style* cs = w.Get<Style>(kids[i]);
    if (cs->grow <= 0) continue;
    float share = free > 0 ? free * cs->grow / grow_total : 0;
    sizes[i] = horizontal ? LayoutNode(kids[i], share, inner_h) : LayoutNode(kids[i], inner_w, share);
    LayoutBox* box = w.Get<LayoutBox>(kids[i]);
    (horizontal ? box->w : box->h) = share;
    (horizontal ? sizes[i].w : sizes[i].h) = share;
    used += share;
  }
  for (const Size& size : sizes) cross = std::max(cross, horizontal ? size.h : size.w);
  float cross_box = std::isfinite(inner_cross) ? inner_cross : cross;
  float slack = grow_total > 0 ? 0 : (std::isfinite(inner_main) ? inner_main - used : 0);
  float spacing = s.gap, pos = Offset(slack, s.justify);
  if (s.justify == Justify::SpaceBetween && kids.size() > 1 && slack > 0) {
    spacing += slack / static_cast<float>(kids.size() - 1);
    pos = 0;
  }
  Edges pad = s.padding;
  for (size_t i = 0; i < kids.size(); ++i) {
    LayoutBox* box = w.Get<LayoutBox>(kids[i]);
    Style* cs = w.Get<Style>(kids[i]);
    float child_cross = horizontal ? box->h : box->w;
    if (s.align == Align::Stretch && IsAuto(horizontal ? cs->height : cs->width)) {
      (horizontal ? box->h : box->w) = cross_box;
      child_cross = cross_box;
    }
    float across = CrossOffset(cross_box - child_cross, s.align);
    if (horizontal) {
      Place(kids[i], pad.left + s.border_width + pos, pad.top + s.border_width + across);
    } else {
      Place(kids[i], pad.left + s.border_width + across, pad.top + s.border_width + pos);
    }
    pos += (horizontal ? box->w : box->h) + spacing;
  }
  return horizontal ? Size{used, cross} : Size{cross, used};
}

Size LayoutStack(Entity e, const Style& s, const Inner& in) {
  World& w = Ui().world;
  std::vector<Entity> kids = Children(e);
  Size content;
  for (Entity kid : kids) {
    Size size = LayoutNode(kid, in.w, in.h);
    content.w = std::max(content.w, size.w);
    content.h = std::max(content.h, size.h);
  }
  float box_w = in.fixed_w ? in.w : content.w;
  float box_h = in.fixed_h ? in.h : content.h;
  for (Entity kid : kids) {
    LayoutBox* box = w.Get<LayoutBox>(kid);
    float x = Offset(box_w - box->w, s.justify);
    float y = CrossOffset(box_h - box->h, s.align);
    Place(kid, s.padding.left + s.border_width + x, s.padding.top + s.border_width + y);
  }
  return content;
}

Size LayoutGrid(Entity e, const Style& s, const Inner& in) {
  float inner_w = in.w, inner_h = in.h;
  std::vector<Entity> kids = Children(e);
  int columns = std::max(1, s.columns);
  float cell_w = std::isfinite(inner_w) ? (inner_w - s.gap * static_cast<float>(columns - 1)) / columns : 0;
  float y = 0, row_h = 0, width = 0;
  for (size_t i = 0; i < kids.size(); ++i) {
    int column = static_cast<int>(i % columns);
    if (column == 0 && i > 0) {
      y += row_h + s.gap;
      row_h = 0;
    }
    Size size = LayoutNode(kids[i], cell_w > 0 ? cell_w : inner_w, inner_h);
    LayoutBox* box = Ui().world.Get<LayoutBox>(kids[i]);
    if (cell_w > 0 && IsAuto(Ui().world.Get<Style>(kids[i])->width)) box->w = size.w = cell_w;  // cells fill their column
    float step = cell_w > 0 ? cell_w : size.w;
    float x = static_cast<float>(column) * (step + s.gap);
    Place(kids[i], s.padding.left + s.border_width + x, s.padding.top + s.border_width + y);
    row_h = std::max(row_h, size.h);
    width = std::max(width, x + size.w);
  }
  return {in.fixed_w ? inner_w : width, kids.empty() ? 0 : y + row_h};
}

Size LayoutRailItems(Entity e, const Style& s, const Inner& in) {
  World& w = Ui().world;
  RailState* rail = w.Get<RailState>(e);
  if (rail == nullptr) return {};
  for (auto& [index, item] : rail->items) {
    if (!w.Alive(item.entity)) continue;
    LayoutNode(item.entity, rail->item_width, rail->item_height);
    float x = static_cast<float>(index) * (rail->item_width + rail->gap);
    Place(item.entity, s.padding.left + s.border_width + x, s.padding.top + s.border_width);
  }
  return {in.w, rail->item_height};
}

Size Content(Entity e, Widget widget, const Style& s, const Inner& in) {
  World& w = Ui().world;
  switch (widget) {
    case Widget::kRow: return LayoutLinear(e, true, s, in);
    case Widget::kColumn: return LayoutLinear(e, false, s, in);
    case Widget::kGrid: return LayoutGrid(e, s, in);
    case Widget::kRail: return LayoutRailItems(e, s, in);
    case Widget::kText: {
      TextContent* text = w.Get<TextContent>(e);
      MeasureText(*text);
      return {text->width, text->height};
    }
    case Widget::kImage:
    case Widget::kSpacer: return {};
    default: return LayoutStack(e, s, in);
  }
}

Size LayoutNode(Entity e, float avail_w, float avail_h) {
  World& w = Ui().world;
  LayoutBox* box = w.Get<LayoutBox>(e);
  if (box->laid_out && !box->dirty && !box->subtree_dirty && box->avail_w == avail_w && box->avail_h == avail_h) {
    return {box->w, box->h};
  }
  const Style s = *w.Get<Style>(e);
  Widget widget = w.Get<TreeNode>(e)->widget;
  float fixed_w = Resolve(s.width, avail_w), fixed_h = Resolve(s.height, avail_h);
  float frame_w = s.padding.left + s.padding.right + 2 * s.border_width;
  float frame_h = s.padding.top + s.padding.bottom + 2 * s.border_width;
  // The root fills the screen and a rail the width it is given; everything
  // else without a size of its own shrinks to fit its content.
  bool fill_w = widget == Widget::kRail || widget == Widget::kRoot;
  bool fill_h = widget == Widget::kRoot;
  Inner in;
  in.fixed_w = std::isfinite(fixed_w) || (fill_w && std::isfinite(avail_w));
  in.fixed_h = std::isfinite(fixed_h) || (fill_h && std::isfinite(avail_h));
  in.w = (std::isfinite(fixed_w) ? fixed_w : avail_w) - frame_w;
  in.h = (std::isfinite(fixed_h) ? fixed_h : avail_h) - frame_h;
  Size content = Content(e, widget, s, in);
  box = w.Get<LayoutBox>(e);
  box->w = in.fixed_w ? in.w + frame_w : content.w + frame_w;
  box->h = in.fixed_h ? in.h + frame_h : content.h + frame_h;
  box->avail_w = avail_w;
  box->avail_h = avail_h;
  box->laid_out = true;
  box->dirty = box->subtree_dirty = false;
  ++Ui().stats.laid_out;
  return {box->w, box->h};
}

}  // namespace

void MeasureText(TextContent& text) {
  if (text.measured) return;
  UiContext& ui = Ui();
  auto key = std::make_pair(text.text, static_cast<int>(text.size));
  auto it = ui.text_sizes.find(key);
  if (it == ui.text_sizes.end()) {
    int64_t packed = host_api::MeasureText(text.text.data(), static_cast<uint32_t>(text.text.size()), text.size);
    std::pair<float, float> size{static_cast<float>(static_cast<uint64_t>(packed) >> 32),
                                 static_cast<float>(packed & 0xFFFFFFFF)};
    it = ui.text_sizes.emplace(key, size).first;
  }
  text.width = it->second.first;
  text.height = it->second.second;
  text.measured = true;
}

void LayoutSystem() {
  UiContext& ui = Ui();
  if (!ui.world.Alive(ui.root)) return;
  UpdateRailWindows();
  LayoutNode(ui.root, ui.screen_w, ui.screen_h);
  Place(ui.root, 0, 0);
}

Rect TargetRect(Entity e) {
  World& w = Ui().world;
  LayoutBox* box = w.Get<LayoutBox>(e);
  if (box == nullptr) return {};
  Rect r{box->x, box->y, box->w, box->h};
  for (Entity p = LayoutParent(e); p != kNoEntity; p = LayoutParent(p)) {
    LayoutBox* pb = w.Get<LayoutBox>(p);
    if (pb == nullptr) break;
    r.x += pb->x;
    r.y += pb->y;
    if (ScrollState* scroll = w.Get<ScrollState>(p)) {
      bool horizontal = w.Get<TreeNode>(p)->widget == Widget::kRail;
      (horizontal ? r.x : r.y) -= scroll->target;
    }
  }
  return r;
}

}  // namespace ws::ui
