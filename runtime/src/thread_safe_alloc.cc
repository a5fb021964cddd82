// The threads variant links wasi-libc's allocator, which has no threads
// build here: the link wraps malloc and friends (--wrap=malloc, ...) and
// these wrappers serialize them with a spin lock in shared memory. Other
// variants do not get the wrappers.
#ifdef __wasm_atomics__

#include <atomic>
#include <cstddef>

extern "C" {
void* __real_malloc(size_t size);
void __real_free(void* ptr);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);
void* __real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void** out, size_t alignment, size_t size);
}

namespace {

std::atomic<int> g_allocator_lock{0};

// Holds the lock for a scope. Contention is short (one allocator call), and
// the host runs threads in slices, so spinning is cheaper than waiting.
class AllocatorLock {
 public:
  AllocatorLock() {
    int expected = 0;
    while (!g_allocator_lock.compare_exchange_weak(expected, 1, std::memory_order_acquire)) expected = 0;
  }
  ~AllocatorLock() { g_allocator_lock.store(0, std::memory_order_release); }
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
