// The UI tree: creating, linking and destroying entities, walking children
// (with fragments flattened), and marking what needs layout or redraw.
#pragma once

#include <functional>

#include "src/ui_context.h"

namespace ws::ui {

// Creates an entity of `widget` as the last child of the builder's current
// parent, owned by the current reactive scope (destroyed when it is disposed).
Entity CreateNode(Widget widget);
void AppendChild(Entity parent, Entity child);
void Detach(Entity child);
// Destroys `e` and everything below it.
void DestroySubtree(Entity e);

// Calls f(child) for the children of `e` in order; a fragment child is
// replaced by its own children, recursively. A template, not a
// std::function: every frame's render and layout walk through here.
template <typename F>
void ForEachChild(Entity e, F&& f) {
  ecs::Pool<TreeNode>& nodes = Ui().world.PoolOf<TreeNode>();
  TreeNode* node = nodes.Get(e);
  for (Entity c = node ? node->first_child : kNoEntity; c != kNoEntity;) {
    TreeNode* child = nodes.Get(c);
    if (child == nullptr) break;
    Entity next = child->next;
    if (child->widget == Widget::kFragment) {
      ForEachChild(c, f);
    } else {
      f(c);
    }
    c = next;
  }
}

// Pre-order walk of the subtree below `e` (fragments flattened); f returns
// false to skip a node's children.
template <typename F>
void WalkTree(Entity e, F&& f) {
  ForEachChild(e, [&](Entity child) {
    if (f(child)) WalkTree(child, f);
  });
}
// The nearest ancestor that is not a fragment.
Entity LayoutParent(Entity e);

// `e`'s own layout input changed: it and its ancestors are laid out again.
void MarkLayoutDirty(Entity e);
void MarkRenderDirty();

// Runs `build` with `parent` as the builder's current parent.
void WithParent(Entity parent, const Callback<void()>& build);

}  // namespace ws::ui
