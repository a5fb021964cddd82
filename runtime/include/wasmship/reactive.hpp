// Fine-grained reactivity: signals hold values, memos derive values, effects
// react to changes. Reading a signal or memo inside a memo or effect
// subscribes to it; writing a signal re-runs exactly what read it.
//
// Every memo, effect and signal is owned by the scope (or effect) that was
// running when it was created; disposing a scope disposes everything it
// created, including entities of the UI built inside it. Handles are cheap
// to copy; a handle whose node was disposed reads as a default value and
// ignores writes (errors are values: nothing here aborts).
#ifndef WASMSHIP_REACTIVE_HPP_
#define WASMSHIP_REACTIVE_HPP_

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "wasmship/callback.hpp"
#ifdef WS_HOT_RELOAD
#include "wasmship/state_codec.hpp"
#endif

namespace ws {

// A node of the reactive graph: index into the graph's table plus a
// generation, so stale handles are detected.
struct NodeId {
  uint32_t index = 0;
  uint32_t version = 0;
  bool operator==(const NodeId&) const = default;
};

namespace reactive {

// Whether values of T can be compared with ==. std::equality_comparable is
// fooled by containers, whose operator== exists for any element type.
template <typename T>
constexpr bool Comparable() {
  if constexpr (requires {
                  typename T::first_type;
                  typename T::second_type;
                }) {
    return Comparable<std::remove_cv_t<typename T::first_type>>() && Comparable<typename T::second_type>();
  } else if constexpr (requires { typename T::value_type; }) {
    return std::equality_comparable<T> && Comparable<std::remove_cv_t<typename T::value_type>>();
  } else {
    return std::equality_comparable<T>;
  }
}

// Type-erased storage of a signal's or memo's value.
struct ValueBox {
  virtual ~ValueBox() = default;
#ifdef WS_HOT_RELOAD
  // Hot reload (wasmship/state_codec.hpp): the value as bytes, and back.
  virtual uint64_t TypeHash() const = 0;
  virtual bool Saveable() const = 0;
  virtual void Save(std::string& out) const = 0;
  // Replaces the value with the one in `bytes` (exactly one encoded value).
  virtual state::LoadResult Load(std::string_view bytes) = 0;
#endif
};
template <typename T>
struct TypedBox final : ValueBox {
  explicit TypedBox(T v) : value(std::move(v)) {}
  T value;
#ifdef WS_HOT_RELOAD
  uint64_t TypeHash() const override { return state::kTypeHash<T>; }
  bool Saveable() const override { return state::Saveable<T>(); }
  void Save(std::string& out) const override {
    if constexpr (state::Saveable<T>()) state::Encode(value, out);
  }
  state::LoadResult Load(std::string_view bytes) override {
    if constexpr (state::Saveable<T>()) {
      T next{};
      state::Reader reader(bytes);
      if (!state::Decode(reader, next) || !reader.AtEnd()) return state::LoadResult::kFailed;
      if constexpr (Comparable<T>()) {
        if (value == next) return state::LoadResult::kUnchanged;
      }
      value = std::move(next);
      return state::LoadResult::kChanged;
    } else {
      return state::LoadResult::kFailed;
    }
  }
#endif
};

NodeId CreateSignal(std::unique_ptr<ValueBox> value);
// `compute` stores a new value and returns whether it differs from the old.
NodeId CreateMemo(std::unique_ptr<ValueBox> initial, Callback<bool(ValueBox&)> compute);
NodeId CreateEffect(Callback<void()> body);
// Subscribes the running computation to `id` (memos are brought up to date
// first) and returns its value box, or nullptr for a disposed node.
ValueBox* Track(NodeId id);
ValueBox* Peek(NodeId id);
// Marks a signal changed after its box was modified in place.
void NotifyChanged(NodeId id);
bool Alive(NodeId id);

}  // namespace reactive

template <typename T>
class Signal {
 public:
  Signal() = default;
  explicit Signal(NodeId id) : id_(id) {}

  // Reads the value and, inside a memo or effect, subscribes to it.
  T operator()() const {
    auto* box = static_cast<reactive::TypedBox<T>*>(reactive::Track(id_));
    return box != nullptr ? box->value : T{};
  }
  // Reads without subscribing.
  T peek() const {
    auto* box = static_cast<reactive::TypedBox<T>*>(reactive::Peek(id_));
    return box != nullptr ? box->value : T{};
  }
  // Stores a value; subscribers re-run only when it differs (for types with ==).
  void set(T value) const {
    auto* box = static_cast<reactive::TypedBox<T>*>(reactive::Peek(id_));
    if (box == nullptr) return;
    if constexpr (reactive::Comparable<T>()) {
      if (box->value == value) return;
    }
    box->value = std::move(value);
    reactive::NotifyChanged(id_);
  }
  template <typename F>
  void update(F&& f) const {
    set(f(peek()));
  }
  bool alive() const { return reactive::Alive(id_); }
  NodeId id() const { return id_; }

 private:
  NodeId id_;
};

template <typename T>
class Memo {
 public:
  Memo() = default;
  explicit Memo(NodeId id) : id_(id) {}
  T operator()() const {
    auto* box = static_cast<reactive::TypedBox<T>*>(reactive::Track(id_));
    return box != nullptr ? box->value : T{};
  }
  T peek() const {
    auto* box = static_cast<reactive::TypedBox<T>*>(reactive::Peek(id_));
    return box != nullptr ? box->value : T{};
  }
  bool alive() const { return reactive::Alive(id_); }
  NodeId id() const { return id_; }

 private:
  NodeId id_;
};

template <typename T>
Signal<std::decay_t<T>> signal(T&& initial) {
  using V = std::decay_t<T>;
  return Signal<V>(reactive::CreateSignal(std::make_unique<reactive::TypedBox<V>>(std::forward<T>(initial))));
}

inline Signal<std::string> signal(const char* initial) { return signal(std::string(initial)); }

// A derived value: recomputed only when something it read changed, and its
// subscribers notified only when the result differs.
template <typename F>
auto memo(F f) -> Memo<std::decay_t<std::invoke_result_t<F&>>> {
  using V = std::decay_t<std::invoke_result_t<F&>>;
  auto compute = [f = std::move(f)](reactive::ValueBox& box) mutable {
    auto& slot = static_cast<reactive::TypedBox<V>&>(box).value;
    V next = f();
    if constexpr (reactive::Comparable<V>()) {
      if (slot == next) return false;
    }
    slot = std::move(next);
    return true;
  };
  return Memo<V>(reactive::CreateMemo(std::make_unique<reactive::TypedBox<V>>(V{}), std::move(compute)));
}

// Runs `body` now and again whenever something it read changes.
inline NodeId effect(Callback<void()> body) { return reactive::CreateEffect(std::move(body)); }

// Defers effects until `f` returns, so several writes cause one update.
void batch(const Callback<void()>& f);

// Runs `f` without subscribing the current computation to what it reads.
template <typename F>
auto untrack(F&& f) -> decltype(f());

// Registers `f` to run when the current scope (or effect run) is disposed.
void on_cleanup(Callback<void()> f);

// A scope owns what is created while it is current.
class Scope {
 public:
  Scope() = default;
  explicit Scope(NodeId id) : id_(id) {}
  void dispose() const;
  bool alive() const { return reactive::Alive(id_); }
  NodeId id() const { return id_; }

 private:
  NodeId id_;
};

// Creates a child scope of the current owner and runs `body` inside it.
Scope create_scope(const Callback<void()>& body);
// Runs `body` with `scope` as the current owner (for code that builds UI
// later, e.g. a virtualized list creating items as it scrolls).
void run_in_scope(const Scope& scope, const Callback<void()>& body);
Scope current_scope();

// Runs pending effects now (the frame loop does this in its effects phase).
void flush_effects();

// Live nodes in the graph; for leak tests.
size_t live_reactive_nodes();

namespace reactive {
struct UntrackGuard {
  UntrackGuard();
  ~UntrackGuard();
  UntrackGuard(const UntrackGuard&) = delete;
  UntrackGuard& operator=(const UntrackGuard&) = delete;

 private:
  NodeId saved_;
};
}  // namespace reactive

template <typename F>
auto untrack(F&& f) -> decltype(f()) {
  reactive::UntrackGuard guard;
  return f();
}

}  // namespace ws

#endif  // WASMSHIP_REACTIVE_HPP_
