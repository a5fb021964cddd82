// `if` and `for`: subtrees that come and go with reactive state. Each is an
// anchor fragment (transparent to layout) under the current parent.
#include <map>
#include <memory>

#include "src/tree.h"
#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif
#include "wasmship/builder.hpp"

namespace ws {

void If(Callback<bool()> condition, Children then, Children otherwise) {
  Entity anchor = ui::CreateNode(ui::Widget::kFragment);
  Memo<bool> shown = memo(std::move(condition));
  // The effect owns the branch it builds; re-running (the condition flipped)
  // disposes the old branch first.
  effect([anchor, shown, then = std::move(then), otherwise = std::move(otherwise)] {
    bool value = shown();
    const Children& branch = value ? then : otherwise;
    if (!branch) return;
#ifdef WS_HOT_RELOAD
    // The two branches build at the same place: keep their positions apart.
    hot_reload::ItemScope hot_item(anchor, value ? "then" : "else");
#endif
    untrack([&] { ui::WithParent(anchor, branch); });
  });
}

namespace detail {
namespace {

struct ForItem {
  Scope scope;
  std::vector<Entity> entities;  // what the item appended to the anchor
};

struct ForState {
  Entity anchor = kNoEntity;
  Scope items_scope;  // owns the item scopes, so the list effect can re-run freely
  std::map<std::string, ForItem> items;
};

std::vector<Entity> AnchorChildren(Entity anchor) {
  std::vector<Entity> out;
  ui::TreeNode* node = ui::Ui().world.Get<ui::TreeNode>(anchor);
  for (Entity c = node ? node->first_child : kNoEntity; c != kNoEntity;) {
    out.push_back(c);
    c = ui::Ui().world.Get<ui::TreeNode>(c)->next;
  }
  return out;
}

ForItem BuildItem(ForState& state, const ForSource& source, size_t index) {
  ForItem item;
  size_t before = AnchorChildren(state.anchor).size();
  run_in_scope(state.items_scope, [&] {
#ifdef WS_HOT_RELOAD
    // A keyed item is known by its key wherever it moves; an unkeyed
    // list's items by their index.
    hot_reload::ItemScope hot_item(state.anchor, source.keyed ? source.key(index) : std::to_string(index));
#endif
    item.scope = create_scope([&] { ui::WithParent(state.anchor, [&] { source.build(index); }); });
  });
  std::vector<Entity> after = AnchorChildren(state.anchor);
  item.entities.assign(after.begin() + static_cast<long>(before), after.end());
  return item;
}

void Reconcile(ForState& state, const ForSource& source, size_t count) {
  std::map<std::string, ForItem> next;
  std::vector<std::string> order;
  for (size_t i = 0; i < count; ++i) {
    std::string key = source.key(i);
    if (next.count(key)) continue;  // duplicate keys: the first wins
    auto existing = state.items.find(key);
    if (existing != state.items.end()) {
      next[key] = std::move(existing->second);
      state.items.erase(existing);
    } else {
      next[key] = BuildItem(state, source, i);
    }
    order.push_back(key);
  }
  for (auto& [key, gone] : state.items) gone.scope.dispose();
  // Re-append in the new order: moved items keep their entities.
  for (const std::string& key : order) {
    for (Entity e : next[key].entities) {
      ui::Detach(e);
      ui::AppendChild(state.anchor, e);
    }
  }
  state.items = std::move(next);
}

}  // namespace

void ForEach(ForSource source) {
  auto state = std::make_shared<ForState>();
  state->anchor = ui::CreateNode(ui::Widget::kFragment);
  state->items_scope = create_scope([] {});
  effect([state, source = std::move(source)] {
    size_t count = source.refresh();
    untrack([&] { Reconcile(*state, source, count); });
  });
}

}  // namespace detail
}  // namespace ws
