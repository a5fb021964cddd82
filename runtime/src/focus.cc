#include "src/focus.h"

#include <cmath>
#include <limits>

#include "src/layout.h"
#include "src/rail.h"
#include "src/tree.h"

namespace ws::ui {
namespace {

bool IsFocusable(Entity e) {
  Focusable* f = Ui().world.Get<Focusable>(e);
  return f != nullptr && f->focusable;
}

Entity FirstFocusable() {
  UiContext& ui = Ui();
  Entity found = kNoEntity;
  WalkTree(ui.root, [&](Entity e) {
    if (found != kNoEntity) return false;
    if (IsFocusable(e)) found = e;
    return found == kNoEntity;
  });
  return found;
}

// Distance along the direction of travel plus twice the sideways offset:
// the usual spatial-navigation score, which prefers items in line.
float Score(const Rect& from, const Rect& to, int32_t key) {
  float fcx = from.x + from.w / 2, fcy = from.y + from.h / 2;
  float tcx = to.x + to.w / 2, tcy = to.y + to.h / 2;
  float along = 0, across = 0;
  switch (key) {
    case kKeyRight: along = to.x - (from.x + from.w); across = std::fabs(tcy - fcy); break;
    case kKeyLeft: along = from.x - (to.x + to.w); across = std::fabs(tcy - fcy); break;
    case kKeyDown: along = to.y - (from.y + from.h); across = std::fabs(tcx - fcx); break;
    case kKeyUp: along = from.y - (to.y + to.h); across = std::fabs(tcx - fcx); break;
    default: return -1;
  }
  bool ahead = key == kKeyRight ? tcx > fcx : key == kKeyLeft ? tcx < fcx : key == kKeyDown ? tcy > fcy : tcy < fcy;
  if (!ahead) return -1;
  return std::max(along, 0.0f) + 2 * across;
}

void CallHandler(const Handler& h) {
  if (h) h();
}

void HandleBack() {
  UiContext& ui = Ui();
  for (Entity e = ui.focused; e != kNoEntity;) {
    Focusable* f = ui.world.Get<Focusable>(e);
    if (f != nullptr && f->on_back) {
      Handler back = f->on_back;  // the handler may destroy e
      back();
      return;
    }
    TreeNode* node = ui.world.Get<TreeNode>(e);
    e = node ? node->parent : kNoEntity;
  }
}

void HandleKey(int32_t key) {
  UiContext& ui = Ui();
  if (key >= kKeyUp && key <= kKeyRight) {
    if (!ui.world.Alive(ui.focused)) FocusSystem();
    Entity next = FindNeighbor(ui.focused, key);
    if (next != kNoEntity) SetFocus(next);
  } else if (key == kKeySelect) {
    if (Focusable* f = ui.world.Get<Focusable>(ui.focused)) {
      Handler select = f->on_select;
      CallHandler(select);
    }
  } else if (key == kKeyBack) {
    HandleBack();
  }
}

}  // namespace

Entity FindNeighbor(Entity from, int32_t key) {
  UiContext& ui = Ui();
  if (!ui.world.Alive(from)) return kNoEntity;
  Rect origin = TargetRect(from);
  Entity best = kNoEntity;
  float best_score = std::numeric_limits<float>::max();
  ui.world.Each<Focusable>([&](Entity e, Focusable& f) {
    if (e == from || !f.focusable) return;
    float score = Score(origin, TargetRect(e), key);
    if (score >= 0 && score < best_score) {
      best_score = score;
      best = e;
    }
  });
  return best;
}

void SetFocus(Entity e, bool animate) {
  UiContext& ui = Ui();
  if (ui.focused == e) return;
  Entity previous = ui.focused;
  ui.focused = e;
  if (Focusable* f = ui.world.Get<Focusable>(previous)) {
    Handler blur = f->on_blur;
    CallHandler(blur);
  }
  if (Focusable* f = ui.world.Get<Focusable>(e)) {
    Handler focus = f->on_focus;
    CallHandler(focus);
  }
  if (ui.world.Alive(e)) ScrollIntoView(e, animate);
  MarkRenderDirty();
}

void InputSystem() {
  UiContext& ui = Ui();
  while (!ui.input.empty()) {
    InputEvent event = ui.input.front();
    ui.input.pop_front();
    if (event.kind == host_abi::kInputKeyPress) HandleKey(event.key);
  }
}

void FocusSystem() {
  UiContext& ui = Ui();
  // Entities that turned autofocus on since the last frame (widgets.cc marks
  // them); the first still alive takes the focus.
  for (Entity e : ui.world.TakeDirty<Focusable>()) {
    Focusable* f = ui.world.Get<Focusable>(e);
    if (f != nullptr && f->focusable && f->autofocus) {
      SetFocus(e, /*animate=*/false);
      return;
    }
  }
  if (ui.world.Alive(ui.focused) && IsFocusable(ui.focused)) return;
  Entity first = FirstFocusable();
  if (first != kNoEntity) SetFocus(first, /*animate=*/false);
}

bool FocusPending() {
  UiContext& ui = Ui();
  if (ui.world.PoolOf<Focusable>().AnyDirty()) return true;
  if (ui.world.Alive(ui.focused) && IsFocusable(ui.focused)) return false;
  for (Entity e : ui.world.PoolOf<Focusable>().entities()) {
    if (IsFocusable(e)) return true;  // something could take the focus
  }
  return false;
}

}  // namespace ws::ui

