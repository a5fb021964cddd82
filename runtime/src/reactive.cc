// The reactive graph: a table of nodes (signals, memos, effects, scopes)
// with ownership (who disposes whom) and subscriptions (who re-runs when
// what changes). Changes propagate in two colors: a written signal marks
// its direct readers dirty and everything downstream "check"; a check node
// first brings its memo sources up to date and re-runs only if one of them
// actually changed. Effects run in creation order, so an outer effect that
// disposes an inner one runs first and the inner one never runs stale.
#include <algorithm>
#include <deque>
#include <vector>

#include "src/reactive_graph.h"
#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif
#include "wasmship/reactive.hpp"

namespace ws::reactive {
namespace {

enum class Kind : uint8_t { kFree, kSignal, kMemo, kEffect, kScope };
enum class State : uint8_t { kClean = 0, kCheck = 1, kDirty = 2 };

// More flush rounds than this means effects keep re-triggering each other.
constexpr int kMaxFlushRounds = 10000;

struct Node {
  uint32_t version = 1;
  Kind kind = Kind::kFree;
  State state = State::kClean;
  bool queued = false;
  uint64_t sequence = 0;
  NodeId owner;
  std::vector<NodeId> owned;
  std::vector<Callback<void()>> cleanups;
  std::vector<NodeId> sources;
  std::vector<NodeId> observers;
  std::unique_ptr<ValueBox> value;
  // Callbacks share their callable: the copy a running body is called
  // through keeps it alive if its node is disposed meanwhile.
  Callback<void()> effect;
  Callback<bool(ValueBox&)> compute;
};

void Erase(std::vector<NodeId>& list, NodeId id) {
  auto it = std::find(list.begin(), list.end(), id);
  if (it != list.end()) list.erase(it);
}

class Graph {
 public:
  Graph() { nodes_.emplace_back(); }  // index 0 is never a valid node

  Node* Get(NodeId id) {
    if (id.index == 0 || id.index >= nodes_.size()) return nullptr;
    Node& n = nodes_[id.index];
    return n.version == id.version && n.kind != Kind::kFree ? &n : nullptr;
  }

  NodeId Alloc(Kind kind) {
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
    }
    Node& n = nodes_[index];
    n.kind = kind;
    n.sequence = next_sequence_++;
    n.owner = owner_;
    NodeId id{index, n.version};
    if (Node* owner = Get(owner_)) owner->owned.push_back(id);
    ++live_;
    return id;
  }

  void Link(NodeId observer, NodeId source) {
    Node* o = Get(observer);
    Node* s = Get(source);
    if (o == nullptr || s == nullptr) return;
    if (std::find(o->sources.begin(), o->sources.end(), source) != o->sources.end()) return;
    o->sources.push_back(source);
    s->observers.push_back(observer);
  }

  void Unlink(NodeId id) {
    Node* n = Get(id);
    if (n == nullptr) return;
    for (NodeId source : n->sources) {
      if (Node* s = Get(source)) Erase(s->observers, id);
    }
    n->sources.clear();
  }

  void Mark(NodeId id, State state) {
    Node* n = Get(id);
    if (n == nullptr || n->state >= state) return;
    bool was_clean = n->state == State::kClean;
    n->state = state;
    if (n->kind == Kind::kEffect && !n->queued) {
      n->queued = true;
      pending_.push_back(id);
    }
    if (n->kind == Kind::kMemo && was_clean) {
      std::vector<NodeId> observers = n->observers;
      for (NodeId o : observers) Mark(o, State::kCheck);
    }
  }

  void UpdateIfNecessary(NodeId id) {
    Node* n = Get(id);
    if (n == nullptr) return;
    if (n->state == State::kCheck) {
      std::vector<NodeId> sources = n->sources;
      for (NodeId source : sources) {
        Node* s = Get(source);
        if (s != nullptr && s->kind == Kind::kMemo) UpdateIfNecessary(source);
        n = Get(id);
        if (n == nullptr) return;
        if (n->state == State::kDirty) break;
      }
    }
    if (n->state == State::kDirty) {
      Rerun(id);  // leaves the node clean unless its own run dirtied it again
    } else {
      n->state = State::kClean;
    }
  }

  void Rerun(NodeId id) {
    DisposeChildren(id);
    Unlink(id);
    NodeId saved_owner = owner_, saved_observer = observer_;
    owner_ = observer_ = id;
    Node* n = Get(id);
    n->state = State::kClean;
    if (n->kind == Kind::kEffect) {
      Callback<void()> body = n->effect;
      body();
    } else if (n->kind == Kind::kMemo && Changed(*n)) {
      std::vector<NodeId> observers = Get(id)->observers;
      for (NodeId o : observers) Mark(o, State::kDirty);
    }
    owner_ = saved_owner;
    observer_ = saved_observer;
  }

  bool Changed(Node& n) {
    Callback<bool(ValueBox&)> compute = n.compute;
    ValueBox* box = n.value.get();
    return compute(*box);
  }

  void DisposeChildren(NodeId id) {
    Node* n = Get(id);
    if (n == nullptr) return;
    std::vector<NodeId> owned = std::move(n->owned);
    n->owned.clear();
    for (auto it = owned.rbegin(); it != owned.rend(); ++it) Dispose(*it, /*detach=*/false);
    n = Get(id);
    if (n == nullptr) return;
    std::vector<Callback<void()>> cleanups = std::move(n->cleanups);
    n->cleanups.clear();
    for (auto it = cleanups.rbegin(); it != cleanups.rend(); ++it) (*it)();
  }

  void Dispose(NodeId id, bool detach) {
    Node* n = Get(id);
    if (n == nullptr) return;
    DisposeChildren(id);
    Unlink(id);
    n = Get(id);
    for (NodeId observer : n->observers) {
      if (Node* o = Get(observer)) Erase(o->sources, id);
    }
    if (detach) {
      if (Node* owner = Get(n->owner)) Erase(owner->owned, id);
    }
    Free(id);
  }

  void Free(NodeId id) {
    Node& n = nodes_[id.index];
    uint32_t version = n.version + 1;
    n = Node();
    n.version = version == 0 ? 1 : version;
    free_.push_back(id.index);
    --live_;
  }

  void Flush() {
    if (flushing_) return;
    flushing_ = true;
    for (int round = 0; !pending_.empty(); ++round) {
      if (round == kMaxFlushRounds) {
        pending_.clear();  // effects feeding each other forever; stop rather than hang
        break;
      }
      std::vector<NodeId> batch = std::move(pending_);
      pending_.clear();
      std::sort(batch.begin(), batch.end(), [this](NodeId a, NodeId b) {
        return nodes_[a.index].sequence < nodes_[b.index].sequence;
      });
      for (NodeId id : batch) {
        Node* n = Get(id);
        if (n == nullptr) continue;
        n->queued = false;
        UpdateIfNecessary(id);
      }
    }
    flushing_ = false;
  }

  void MaybeFlush() {
    if (batch_depth_ == 0 && !deferred_) Flush();
  }

  std::deque<Node> nodes_;
  std::vector<uint32_t> free_;
  std::vector<NodeId> pending_;
  NodeId owner_;
  NodeId observer_;
  uint64_t next_sequence_ = 1;
  size_t live_ = 0;
  int batch_depth_ = 0;
  bool deferred_ = false;
  bool flushing_ = false;
};

Graph& G() {
  static Graph graph;
  return graph;
}

}  // namespace

NodeId CreateSignal(std::unique_ptr<ValueBox> value) {
  NodeId id = G().Alloc(Kind::kSignal);
  G().Get(id)->value = std::move(value);
#ifdef WS_HOT_RELOAD
  hot_reload::SignalCreated(id, *G().Get(id)->value);
#endif
  return id;
}

NodeId CreateMemo(std::unique_ptr<ValueBox> initial, Callback<bool(ValueBox&)> compute) {
  NodeId id = G().Alloc(Kind::kMemo);
  Node* n = G().Get(id);
  n->value = std::move(initial);
  n->compute = std::move(compute);
  n->state = State::kDirty;
  G().UpdateIfNecessary(id);
  return id;
}

NodeId CreateEffect(Callback<void()> body) {
  NodeId id = G().Alloc(Kind::kEffect);
  Node* n = G().Get(id);
  n->effect = std::move(body);
  n->state = State::kDirty;
  G().UpdateIfNecessary(id);
  // An effect that read nothing and owns nothing can never run again: free it now.
  n = G().Get(id);
  if (n != nullptr && n->sources.empty() && n->owned.empty() && n->cleanups.empty()) {
    G().Dispose(id, /*detach=*/true);
  }
  return id;
}

ValueBox* Track(NodeId id) {
  Graph& g = G();
  Node* n = g.Get(id);
  if (n == nullptr) return nullptr;
  if (n->kind == Kind::kMemo) {
    g.UpdateIfNecessary(id);
    n = g.Get(id);
    if (n == nullptr) return nullptr;
  }
  if (g.Get(g.observer_) != nullptr) g.Link(g.observer_, id);
  return n->value.get();
}

ValueBox* Peek(NodeId id) {
  Node* n = G().Get(id);
  if (n == nullptr) return nullptr;
  if (n->kind == Kind::kMemo) {
    G().UpdateIfNecessary(id);
    n = G().Get(id);
  }
  return n != nullptr ? n->value.get() : nullptr;
}

void NotifyChanged(NodeId id) {
  Graph& g = G();
  Node* n = g.Get(id);
  if (n == nullptr) return;
  std::vector<NodeId> observers = n->observers;
  for (NodeId o : observers) g.Mark(o, State::kDirty);
  g.MaybeFlush();
}

bool Alive(NodeId id) { return G().Get(id) != nullptr; }

UntrackGuard::UntrackGuard() : saved_(G().observer_) { G().observer_ = NodeId{}; }
UntrackGuard::~UntrackGuard() { G().observer_ = saved_; }

void SetEffectsDeferred(bool deferred) {
  G().deferred_ = deferred;
  if (!deferred) G().MaybeFlush();
}

bool HasPendingEffects() { return !G().pending_.empty(); }

}  // namespace ws::reactive

namespace ws {

void batch(const Callback<void()>& f) {
  reactive::Graph& g = reactive::G();
  ++g.batch_depth_;
  f();
  --g.batch_depth_;
  g.MaybeFlush();
}

void on_cleanup(Callback<void()> f) {
  if (reactive::Node* owner = reactive::G().Get(reactive::G().owner_)) owner->cleanups.push_back(std::move(f));
}

void Scope::dispose() const { reactive::G().Dispose(id_, /*detach=*/true); }

Scope create_scope(const Callback<void()>& body) {
  reactive::Graph& g = reactive::G();
  NodeId id = g.Alloc(reactive::Kind::kScope);
  run_in_scope(Scope(id), body);
  return Scope(id);
}

void run_in_scope(const Scope& scope, const Callback<void()>& body) {
  reactive::Graph& g = reactive::G();
  NodeId saved_owner = g.owner_, saved_observer = g.observer_;
  g.owner_ = scope.id();
  g.observer_ = NodeId{};
  body();
  g.owner_ = saved_owner;
  g.observer_ = saved_observer;
}

Scope current_scope() { return Scope(reactive::G().owner_); }

void flush_effects() { reactive::G().Flush(); }

size_t live_reactive_nodes() { return reactive::G().live_; }

}  // namespace ws
