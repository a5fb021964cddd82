// malloc and friends of single-threaded wasm variants, on CompactHeap.
// Defining every symbol of wasi-libc's dlmalloc.o that libc or libc++ can
// ask for (the __libc_* names too) keeps that member out of the link: the
// runtime's objects come before -lc. Threads variants keep dlmalloc behind
// the lock of thread_safe_alloc.cc. An app that wants dlmalloc anyway
// compiles with -DWS_LIBC_MALLOC (a profile's cflags).
#if defined(__wasm__) && !defined(__wasm_atomics__) && !defined(WS_LIBC_MALLOC)

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "src/compact_heap.h"

extern "C" unsigned char __heap_base;  // wasm-ld: the first byte after data and stack

namespace {

constexpr size_t kPage = 65536;
bool g_took_initial = false;

// The first call hands over what the module's initial memory has past
// __heap_base; later calls grow memory by whole pages.
ws::alloc::Region GrowMemory(size_t min_bytes) {
  uintptr_t end = __builtin_wasm_memory_size(0) * kPage;
  if (!g_took_initial) {
    g_took_initial = true;
    uintptr_t base = reinterpret_cast<uintptr_t>(&__heap_base);
    if (end > base && end - base >= min_bytes) return {&__heap_base, end - base};
    if (end > base) {  // too little: grow it first, contiguously
      size_t pages = (min_bytes - (end - base) + kPage - 1) / kPage;
      if (__builtin_wasm_memory_grow(0, pages) == SIZE_MAX) return {nullptr, 0};
      return {&__heap_base, end - base + pages * kPage};
    }
  }
  size_t pages = (min_bytes + kPage - 1) / kPage;
  size_t old = __builtin_wasm_memory_grow(0, pages);
  if (old == SIZE_MAX) return {nullptr, 0};
  return {reinterpret_cast<void*>(old * kPage), pages * kPage};
}

constinit ws::alloc::CompactHeap g_heap(GrowMemory);

void* WithErrno(void* p) {
  if (p == nullptr) errno = ENOMEM;
  return p;
}

}  // namespace

extern "C" {

void* malloc(size_t size) { return WithErrno(g_heap.Allocate(size)); }
void free(void* ptr) { g_heap.Free(ptr); }
void* calloc(size_t count, size_t size) { return WithErrno(g_heap.AllocateZeroed(count, size)); }
void* realloc(void* ptr, size_t size) { return WithErrno(g_heap.Reallocate(ptr, size)); }
void* aligned_alloc(size_t alignment, size_t size) { return WithErrno(g_heap.AllocateAligned(alignment, size)); }
size_t malloc_usable_size(void* ptr) { return ws::alloc::CompactHeap::UsableSize(ptr); }

int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = g_heap.AllocateAligned(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

// libc's own callers (atexit, locales) use these names.
void* __libc_malloc(size_t size) { return WithErrno(g_heap.Allocate(size)); }
void __libc_free(void* ptr) { g_heap.Free(ptr); }
void* __libc_calloc(size_t count, size_t size) { return WithErrno(g_heap.AllocateZeroed(count, size)); }

}  // extern "C"

#ifdef WS_PREINIT
namespace ws::alloc {
void ScrubFreedMemory() { g_heap.ScrubFree(); }
}  // namespace ws::alloc
#endif

#elif defined(__wasm__) && defined(WS_PREINIT)

namespace ws::alloc {
void ScrubFreedMemory() {}  // dlmalloc's free memory stays as it is
}  // namespace ws::alloc

#endif
