// The shared part of ws::Callback: reference counting. Atomic because a
// threads variant may copy or drop a callback on a worker; in a variant
// without threads clang lowers these to plain loads and stores.
#include "wasmship/callback.hpp"

#include <new>

namespace ws::detail {

void RetainCallback(CallbackCell* cell) { __atomic_add_fetch(&cell->refs, 1, __ATOMIC_RELAXED); }

void ReleaseCallback(CallbackCell* cell) {
  if (__atomic_sub_fetch(&cell->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
  if (cell->destroy != nullptr) {
    cell->destroy(cell);
  } else {
    ::operator delete(cell);  // a trivially destructible callable
  }
}

}  // namespace ws::detail
