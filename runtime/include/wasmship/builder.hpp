// The builder API: functions that create UI entities under the current
// parent, immediately (no virtual tree). Children are built by a callback
// that runs with the new element as the parent. The compose DSL expands to
// exactly these calls; app code may also use them directly:
//
//   ws::Column({.width = 100_pct, .gap = 24}, [&] {
//     ws::Text({.text = "Profiles", .style = ws::TextStyle::Title});
//     auto tile = ws::Box({.width = 240, .height = 135, .focusable = true});
//     ws::Bind(tile, &ws::BoxProps::scale, [=] { return focused() ? 1.1f : 1.0f; });
//   });
#ifndef WASMSHIP_BUILDER_HPP_
#define WASMSHIP_BUILDER_HPP_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "wasmship/props.hpp"
#include "wasmship/reactive.hpp"

namespace ws {

// An element of the UI (an entity of the runtime's world).
class Element {
 public:
  Element() = default;
  explicit Element(uint32_t entity) : entity_(entity) {}
  uint32_t entity() const { return entity_; }
  bool valid() const { return entity_ != 0; }

 private:
  uint32_t entity_ = 0;
};

// What a composable returns: the root element it built.
using View = Element;
using Children = Callback<void()>;

Element Row(const RowProps& props, const Children& children = {});
Element Column(const ColumnProps& props, const Children& children = {});
Element Stack(const StackProps& props, const Children& children = {});
Element Box(const BoxProps& props, const Children& children = {});
Element Grid(const GridProps& props, const Children& children = {});
Element Text(const TextProps& props);
Element Image(const ImageProps& props);
Element Spacer(const SpacerProps& props = {});
Element Rail(const RailProps& props);

namespace detail {
// The props an element was built with, and the hook that applies a change.
template <typename Props>
Props* PropsOf(Element element);
template <typename Props>
void PropsChanged(Element element);
}  // namespace detail

// Keeps one prop of `element` equal to `value()`: set now, and again each time
// a signal that `value` read changes. Only that prop of that entity updates.
namespace detail {
// One instantiation per (Props, T), shared by every binding of such a field:
// only the value callback is specific to a call site.
template <typename Props, typename T>
void BindField(Element element, T Props::*field, Callback<T()> value) {
  effect([element, field, value = std::move(value)] {
    T next = value();
    Props* props = PropsOf<Props>(element);
    if (props == nullptr) return;
    props->*field = std::move(next);
    PropsChanged<Props>(element);
  });
}
}  // namespace detail

template <typename Props, typename T, typename F>
void Bind(Element element, T Props::*field, F value) {
  detail::BindField<Props, T>(element, field, Callback<T()>(std::move(value)));
}

// Builds `then` while `condition()` is true and `otherwise` while it is false;
// the branch not shown is disposed with everything it created.
void If(Callback<bool()> condition, Children then, Children otherwise = {});

namespace detail {
// Keyed list reconciliation over type-erased items.
struct ForSource {
  // Returns the current number of items and prepares them for Key/Build.
  Callback<size_t()> refresh;
  Callback<std::string(size_t)> key;
  Callback<void(size_t)> build;
#ifdef WS_HOT_RELOAD
  bool keyed = true;  // false: keys change on every refresh (hot reload uses indexes)
#endif
};
void ForEach(ForSource source);

inline std::string ForKey(const std::string& s) { return s; }
inline std::string ForKey(const char* s) { return s; }
template <typename T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T>
std::string ForKey(T v) {
  return std::to_string(static_cast<long long>(v));
}
}  // namespace detail

// A keyed list: builds `item(x)` for each x of `range()`. When the range
// changes, items are matched by `key(x)`: kept (and moved), created, or
// disposed. An item's value is the one it was built with.
template <typename RangeFn, typename KeyFn, typename ItemFn>
void For(RangeFn range, KeyFn key, ItemFn item) {
  using Range = std::decay_t<std::invoke_result_t<RangeFn&>>;
  using Value = std::decay_t<decltype(*std::begin(std::declval<Range&>()))>;
  auto items = std::make_shared<std::vector<Value>>();
  detail::ForEach({
      [items, range]() mutable {
        Range r = range();
        items->assign(std::begin(r), std::end(r));
        return items->size();
      },
      [items, key](size_t i) { return detail::ForKey(key((*items)[i])); },
      [items, item](size_t i) { item((*items)[i]); },
#ifdef WS_HOT_RELOAD
      /*keyed=*/true,
#endif
  });
}

// An unkeyed list: rebuilt whole when `range()` changes.
template <typename RangeFn, typename ItemFn>
void For(RangeFn range, ItemFn item) {
  using Range = std::decay_t<std::invoke_result_t<RangeFn&>>;
  using Value = std::decay_t<decltype(*std::begin(std::declval<Range&>()))>;
  auto items = std::make_shared<std::vector<Value>>();
  auto generation = std::make_shared<uint64_t>(0);
  detail::ForEach({
      [items, range, generation]() mutable {
        Range r = range();
        items->assign(std::begin(r), std::end(r));
        ++*generation;
        return items->size();
      },
      [generation](size_t i) { return std::to_string(*generation) + ":" + std::to_string(i); },
      [items, item](size_t i) { item((*items)[i]); },
#ifdef WS_HOT_RELOAD
      /*keyed=*/false,
#endif
  });
}

}  // namespace ws

#endif  // WASMSHIP_BUILDER_HPP_
