// ws::Callback<R(A...)>: the runtime's type-erased function, used wherever
// the API takes a handler, a children builder, a binding or an effect body.
//
// Why not std::function: an app's expanded compose blocks hold one lambda
// per handler, binding and child list, and each std::function<Sig> built
// from a distinct lambda type instantiates a class with seven virtual
// functions. Clang's time on a large compose block was mostly spent
// optimizing and emitting those. A Callback instantiates two small functions
// per lambda type (call and delete); copying, moving and destruction are
// shared code.
//
// Copies share the callable (like a std::shared_ptr, reference counted):
// a mutable lambda's captured state is the same object in every copy. An
// empty Callback is false and calling it does nothing (it returns R()).
#ifndef WASMSHIP_CALLBACK_HPP_
#define WASMSHIP_CALLBACK_HPP_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>

namespace ws {

namespace detail {

// The heap cell of a Callback: a reference count and how to delete it
// (null when the callable needs no destructor: the cell is just freed, and
// no delete function is instantiated for it).
struct CallbackCell {
  uint32_t refs = 1;
  void (*destroy)(CallbackCell*) = nullptr;
};
void RetainCallback(CallbackCell* cell);
// Deletes the cell when this was the last reference.
void ReleaseCallback(CallbackCell* cell);

template <typename F>
struct CallbackCellOf final : CallbackCell {
  template <typename G>
  explicit CallbackCellOf(G&& g) : fn(std::forward<G>(g)) {
    constexpr bool kPlainFree =
        std::is_trivially_destructible_v<F> && alignof(F) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;
    if constexpr (!kPlainFree) destroy = &Destroy;
  }
  static void Destroy(CallbackCell* cell) { delete static_cast<CallbackCellOf*>(cell); }
  F fn;
};

template <typename T>
struct IsStdFunction : std::false_type {};
template <typename Sig>
struct IsStdFunction<std::function<Sig>> : std::true_type {};

// Null function pointers and empty std::functions make an empty Callback,
// as they make an empty std::function.
template <typename F>
bool IsNullCallable(const F& f) {
  if constexpr (std::is_pointer_v<F> || std::is_member_pointer_v<F> || IsStdFunction<F>::value) {
    return !f;
  } else {
    return false;
  }
}

}  // namespace detail

template <typename Signature>
class Callback;

template <typename R, typename... A>
class Callback<R(A...)> {
 public:
  Callback() = default;
  Callback(std::nullptr_t) {}
  template <typename F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> && std::is_invocable_r_v<R, std::decay_t<F>&, A...>)
  Callback(F&& f) {
    using Fn = std::decay_t<F>;
    if (detail::IsNullCallable<Fn>(f)) return;
    cell_ = new detail::CallbackCellOf<Fn>(std::forward<F>(f));
    call_ = &Call<Fn>;
  }
  Callback(const Callback& other) : cell_(other.cell_), call_(other.call_) {
    if (cell_ != nullptr) detail::RetainCallback(cell_);
  }
  Callback(Callback&& other) noexcept
      : cell_(std::exchange(other.cell_, nullptr)), call_(std::exchange(other.call_, nullptr)) {}
  Callback& operator=(Callback other) noexcept {
    std::swap(cell_, other.cell_);
    std::swap(call_, other.call_);
    return *this;
  }
  ~Callback() {
    if (cell_ != nullptr) detail::ReleaseCallback(cell_);
  }

  explicit operator bool() const { return cell_ != nullptr; }
  friend bool operator==(const Callback& c, std::nullptr_t) { return c.cell_ == nullptr; }

  R operator()(A... args) const {
    if (cell_ == nullptr) {
      if constexpr (std::is_void_v<R>) {
        return;
      } else {
        return R();
      }
    }
    return call_(cell_, std::forward<A>(args)...);
  }

 private:
  template <typename Fn>
  static R Call(detail::CallbackCell* cell, A... args) {
    Fn& fn = static_cast<detail::CallbackCellOf<Fn>*>(cell)->fn;
    if constexpr (std::is_member_pointer_v<Fn>) {
      return static_cast<R>(std::invoke(fn, std::forward<A>(args)...));
    } else if constexpr (std::is_void_v<R>) {
      fn(std::forward<A>(args)...);
    } else {
      return fn(std::forward<A>(args)...);
    }
  }

  detail::CallbackCell* cell_ = nullptr;
  R (*call_)(detail::CallbackCell*, A...) = nullptr;
};

}  // namespace ws

#endif  // WASMSHIP_CALLBACK_HPP_
