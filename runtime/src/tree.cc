#include "src/tree.h"

#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif

namespace ws::ui {

Entity CreateNode(Widget widget) {
  UiContext& ui = Ui();
  World& w = ui.world;
  Entity e = w.Create();
  w.Add<TreeNode>(e).widget = widget;
  w.Add<LayoutBox>(e);
  w.Add<Display>(e);
  w.Add<Style>(e);
  Entity parent = ui.parents.empty() ? ui.root : ui.parents.back();
  if (parent != kNoEntity && parent != e) AppendChild(parent, e);
#ifdef WS_HOT_RELOAD
  hot_reload::NodeCreated(e, parent);
#endif
  on_cleanup([e] { DestroySubtree(e); });
  MarkLayoutDirty(e);
  return e;
}

void AppendChild(Entity parent, Entity child) {
  World& w = Ui().world;
  TreeNode* p = w.Get<TreeNode>(parent);
  TreeNode* c = w.Get<TreeNode>(child);
  if (p == nullptr || c == nullptr) return;
  c->parent = parent;
  c->prev = p->last_child;
  c->next = kNoEntity;
  if (p->last_child != kNoEntity) {
    w.Get<TreeNode>(p->last_child)->next = child;
  } else {
    p->first_child = child;
  }
  p->last_child = child;
  MarkLayoutDirty(parent);
}

void Detach(Entity child) {
  World& w = Ui().world;
  TreeNode* c = w.Get<TreeNode>(child);
  if (c == nullptr || c->parent == kNoEntity) return;
  TreeNode* p = w.Get<TreeNode>(c->parent);
  if (p != nullptr) {
    if (c->prev != kNoEntity) w.Get<TreeNode>(c->prev)->next = c->next;
    else p->first_child = c->next;
    if (c->next != kNoEntity) w.Get<TreeNode>(c->next)->prev = c->prev;
    else p->last_child = c->prev;
    MarkLayoutDirty(c->parent);
  }
  c->parent = c->prev = c->next = kNoEntity;
}

void DestroySubtree(Entity e) {
  UiContext& ui = Ui();
  World& w = ui.world;
  TreeNode* node = w.Get<TreeNode>(e);
  if (node == nullptr) return;
  while (node->first_child != kNoEntity) {
    DestroySubtree(node->first_child);
    node = w.Get<TreeNode>(e);
  }
  Detach(e);
  if (RailState* rail = w.Get<RailState>(e)) {
    rail->scope.dispose();  // disposes the item scopes, which destroy their items
  }
  if (ui.focused == e) ui.focused = kNoEntity;
  w.Destroy(e);
  MarkRenderDirty();
}

Entity LayoutParent(Entity e) {
  World& w = Ui().world;
  TreeNode* node = w.Get<TreeNode>(e);
  Entity p = node ? node->parent : kNoEntity;
  while (p != kNoEntity) {
    TreeNode* pn = w.Get<TreeNode>(p);
    if (pn == nullptr || pn->widget != Widget::kFragment) break;
    p = pn->parent;
  }
  return p;
}

void MarkLayoutDirty(Entity e) {
  World& w = Ui().world;
  if (LayoutBox* box = w.Get<LayoutBox>(e)) box->dirty = true;
  // Fragments are never laid out, so their flags would never be cleared:
  // skip them and mark the real ancestors.
  for (Entity p = LayoutParent(e); p != kNoEntity; p = LayoutParent(p)) {
    LayoutBox* box = w.Get<LayoutBox>(p);
    if (box == nullptr || box->subtree_dirty) break;
    box->subtree_dirty = true;
  }
  MarkRenderDirty();
}

void MarkRenderDirty() { Ui().render_dirty = true; }

void WithParent(Entity parent, const Callback<void()>& build) {
  UiContext& ui = Ui();
  ui.parents.push_back(parent);
  build();
  ui.parents.pop_back();
}

}  // namespace ws::ui
