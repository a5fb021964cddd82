// The threads variant links wasi-libc's allocator, which has no threads
// build here: the link wraps malloc and friends (--wrap=malloc, ...) and
// these wrappers serialize them with a spin lock in shared memory. Other
// variants do not get the wrappers.
#ifdef __wasm_atomics__

#include <atomic>
#include <cstddef>
#include <cstdint>

extern "C" {
void* __real_malloc(size_t size);
void __real_free(void* ptr);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);
void* __real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void** out, size_t alignment, size_t size);
}

namespace {

// 0 free, 1 held, 2 held with waiters (the futex mutex of Drepper's
// "Futexes Are Tricky"). Waiting rather than spinning matters: a holder
// may be descheduled (by the OS, or by an interpreting host that runs
// threads in slices), and a spinner would burn its whole turn.
std::atomic<int32_t> g_allocator_lock{0};

int32_t* LockWord() { return reinterpret_cast<int32_t*>(&g_allocator_lock); }

int32_t CompareExchange(int32_t expected, int32_t desired) {
  g_allocator_lock.compare_exchange_strong(expected, desired, std::memory_order_acquire);
  return expected;  // the value seen
}

class AllocatorLock {
 public:
  AllocatorLock() {
    int32_t seen = CompareExchange(0, 1);
    if (seen == 0) return;
    if (seen != 2) seen = g_allocator_lock.exchange(2, std::memory_order_acquire);
    while (seen != 0) {
      __builtin_wasm_memory_atomic_wait32(LockWord(), 2, -1);
      seen = g_allocator_lock.exchange(2, std::memory_order_acquire);
    }
  }
  ~AllocatorLock() {
    if (g_allocator_lock.fetch_sub(1, std::memory_order_release) != 1) {
      g_allocator_lock.store(0, std::memory_order_release);
      __builtin_wasm_memory_atomic_notify(LockWord(), 1);
    }
  }
};

}  // namespace

extern "C" {

void* __wrap_malloc(size_t size) {
  AllocatorLock lock;
  return __real_malloc(size);
}

void __wrap_free(void* ptr) {
  AllocatorLock lock;
  __real_free(ptr);
}

void* __wrap_calloc(size_t count, size_t size) {
  AllocatorLock lock;
  return __real_calloc(count, size);
}

void* __wrap_realloc(void* ptr, size_t size) {
  AllocatorLock lock;
  return __real_realloc(ptr, size);
}

void* __wrap_aligned_alloc(size_t alignment, size_t size) {
  AllocatorLock lock;
  return __real_aligned_alloc(alignment, size);
}

int __wrap_posix_memalign(void** out, size_t alignment, size_t size) {
  AllocatorLock lock;
  return __real_posix_memalign(out, alignment, size);
}

}  // extern "C"

#endif  // __wasm_atomics__
