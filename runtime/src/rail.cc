#include "src/rail.h"

#include <algorithm>
#include <cmath>

#include "src/animation.h"
#include "src/layout.h"
#include "src/tree.h"
#include "src/widget_props.h"
#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif

namespace ws::ui {
namespace {

// Space kept between a focused item and the edge of its scroll container.
constexpr float kScrollPadding = 48;

void BuildItem(Entity rail_entity, RailState& rail, int index) {
  Callback<void(int)> item = rail.item;
  RailItem built;
  run_in_scope(rail.scope, [&] {
    built.scope = create_scope([&] {
      WithParent(rail_entity, [&] {
#ifdef WS_HOT_RELOAD
        hot_reload::ItemScope hot_item(rail_entity, std::to_string(index));
#endif
        size_t before = 0;
        ForEachChild(rail_entity, [&](Entity) { ++before; });
        if (item) item(index);
        // The item is the last child the builder appended.
        TreeNode* node = Ui().world.Get<TreeNode>(rail_entity);
        size_t after = 0;
        ForEachChild(rail_entity, [&](Entity) { ++after; });
        if (after > before) built.entity = node->last_child;
      });
    });
  });
  rail.items[index] = built;
}

// The items that must exist: those visible at the current or the target
// scroll position, plus the margin.
std::pair<int, int> WantedRange(const RailState& rail, const ScrollState& scroll, float view_w) {
  float stride = rail.item_width + rail.gap;
  if (stride <= 0 || rail.count <= 0) return {0, -1};
  float left = std::min(scroll.offset, scroll.target);
  float right = std::max(scroll.offset, scroll.target) + view_w;
  int first = static_cast<int>(std::floor(left / stride)) - kRailMargin;
  int last = static_cast<int>(std::ceil(right / stride)) + kRailMargin;
  return {std::max(0, first), std::min(rail.count - 1, last)};
}

float ViewWidth(Entity e) {
  LayoutBox* box = Ui().world.Get<LayoutBox>(e);
  return box != nullptr && box->laid_out ? box->w : Ui().screen_w;
}

float ClampScroll(const RailState& rail, float view_w, float offset) {
  float content = static_cast<float>(rail.count) * (rail.item_width + rail.gap) - rail.gap;
  return std::clamp(offset, 0.0f, std::max(0.0f, content - view_w));
}

}  // namespace

void ConfigureRail(Entity e, const RailProps& p) {
  World& w = Ui().world;
  RailState* rail = w.Get<RailState>(e);
  if (rail == nullptr) {
    rail = &w.Add<RailState>(e);
    rail->scope = create_scope([] {});
    w.Add<ScrollState>(e);
  }
  bool rebuild = rail->count != p.count || rail->item_width != p.item_width ||
                 rail->item_height != p.item_height || rail->gap != p.gap;
  rail->count = p.count;
  rail->item_width = p.item_width;
  rail->item_height = p.item_height;
  rail->gap = p.gap;
  rail->item = p.item;
  // Until the rail is first laid out, props may still arrive one by one
  // (bindings run after creation): the starting scroll follows them.
  LayoutBox* box = w.Get<LayoutBox>(e);
  if (box == nullptr || !box->laid_out) rail->initialized = false;
  if (!rail->initialized) {
    rail->initial_index = p.initial_index;
    ScrollState* scroll = w.Get<ScrollState>(e);
    // The smallest scroll that shows the item, as navigating to it would leave it.
    float view = ViewWidth(e);
    float item_right = p.padding.left + static_cast<float>(std::max(0, p.initial_index)) * (p.item_width + p.gap) +
                       p.item_width;
    scroll->offset = scroll->target = ClampScroll(*rail, view, item_right - (view - kScrollPadding));
    rail->initialized = true;
  }
  if (rebuild) {
    for (auto& [index, item] : rail->items) item.scope.dispose();
    rail->items.clear();
  }
  MarkLayoutDirty(e);
}

void UpdateRailWindows() {
  World& w = Ui().world;
  w.Each<RailState, ScrollState>([&](Entity e, RailState& rail, ScrollState& scroll) {
    auto [first, last] = WantedRange(rail, scroll, ViewWidth(e));
    bool changed = false;
    for (auto it = rail.items.begin(); it != rail.items.end();) {
      if (it->first < first || it->first > last) {
        it->second.scope.dispose();
        it = rail.items.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
    for (int i = first; i <= last; ++i) {
      if (rail.items.count(i)) continue;
      BuildItem(e, *w.Get<RailState>(e), i);
      changed = true;
    }
    if (changed) MarkLayoutDirty(e);
  });
}

void ScrollIntoView(Entity focused, bool animate) {
  World& w = Ui().world;
  Rect target = TargetRect(focused);
  for (Entity p = LayoutParent(focused); p != kNoEntity; p = LayoutParent(p)) {
    ScrollState* scroll = w.Get<ScrollState>(p);
    if (scroll == nullptr) continue;
    bool horizontal = w.Get<TreeNode>(p)->widget == Widget::kRail;
    Rect view = TargetRect(p);
    float start = horizontal ? target.x - view.x : target.y - view.y;  // in view coordinates
    float size = horizontal ? target.w : target.h;
    float view_size = horizontal ? view.w : view.h;
    float wanted = scroll->target;
    if (start < kScrollPadding) wanted += start - kScrollPadding;
    if (start + size > view_size - kScrollPadding) wanted += start + size - (view_size - kScrollPadding);
    if (RailState* rail = w.Get<RailState>(p)) {
      wanted = ClampScroll(*rail, view.w, wanted);
    } else {
      LayoutBox* box = w.Get<LayoutBox>(p);
      float content = 0;
      ForEachChild(p, [&](Entity c) {
        LayoutBox* cb = w.Get<LayoutBox>(c);
        content = std::max(content, cb->y + cb->h);
      });
      wanted = std::clamp(wanted, 0.0f, std::max(0.0f, content - box->h));
    }
    if (wanted != scroll->target) {
      // Later ancestors see the item where this scroll will put it.
      (horizontal ? target.x : target.y) -= wanted - scroll->target;
      if (animate) {
        ScrollTo(*scroll, wanted);
      } else {
        scroll->offset = scroll->target = wanted;
        scroll->start_ms = -1;
        MarkRenderDirty();
      }
    }
  }
}

}  // namespace ws::ui
