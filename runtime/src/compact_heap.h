// The allocator of single-threaded variants (docs/runtime.md, "Memory"):
// boundary-tagged chunks, free chunks coalesced at once and kept in
// segregated free lists found through a bitmap. It replaces wasi-libc's
// dlmalloc (~8 KB of code) with about a quarter of that. compact_malloc.cc
// puts malloc and friends on top of it in wasm builds; the native test build
// runs it over a test arena.
#ifndef WASMSHIP_RUNTIME_SRC_COMPACT_HEAP_H_
#define WASMSHIP_RUNTIME_SRC_COMPACT_HEAP_H_

#include <cstddef>
#include <cstdint>

namespace ws::alloc {

// Memory given to the heap: [begin, begin + size). size 0: none left.
struct Region {
  void* begin;
  size_t size;
};

// More memory, at least min_bytes of it. A region that starts where the
// previous one ended extends it; any other starts a new segment.
using GrowFn = Region (*)(size_t min_bytes);

struct Chunk;    // compact_heap.cc
struct Segment;  // compact_heap.cc

// Every payload is aligned to this (max_align_t on wasm32: long double).
inline constexpr size_t kAlign = 16;

class CompactHeap {
 public:
  // constexpr: a global heap is constant-initialized, so malloc works in
  // static constructors that run before any other initialization.
  constexpr explicit CompactHeap(GrowFn grow) : grow_(grow) {}
  CompactHeap(const CompactHeap&) = delete;
  CompactHeap& operator=(const CompactHeap&) = delete;

  // nullptr when memory cannot grow or size is absurd.
  void* Allocate(size_t size);
  // Ignores nullptr and pointers that are not live allocations of this heap
  // (a host's bad ws_free must not corrupt the heap).
  void Free(void* ptr);
  // nullptr (ptr untouched) when it cannot grow; otherwise the contents up to
  // the smaller size are kept, in place when the neighbours allow.
  void* Reallocate(void* ptr, size_t size);
  void* AllocateZeroed(size_t count, size_t size);
  // alignment: a power of two; nullptr otherwise.
  void* AllocateAligned(size_t alignment, size_t size);
  // Bytes usable at ptr (at least the size asked for).
  static size_t UsableSize(const void* ptr);

  // Merges the quick lists and zeroes every free chunk's payload but its
  // list links: pre-initialization's snapshot (docs/preinit.md) then carries
  // no bytes of what start-up freed (a fetched file, a parse tree).
  void ScrubFree();

  // For tests: walks every chunk and checks the heap's invariants.
  bool CheckConsistency() const;
  // For tests: bytes in free chunks, and bytes taken from GrowFn.
  size_t FreeBytes() const;
  size_t HeapBytes() const { return heap_bytes_; }

 private:
  static constexpr int kBins = 128;
  static constexpr int kBitmapWords = kBins / 32;
  // Freed chunks this small wait, unmerged, in a list per size (a "quick
  // list", like dlmalloc's fastbins): the UI frees and asks again for the
  // same few sizes all the time, and popping a list is several times cheaper
  // than merging and filing. They are merged (Flush) before memory grows.
  static constexpr size_t kQuickMax = 256;
  static constexpr int kQuickLists = kQuickMax / kAlign + 1;

  static int BinOf(size_t chunk_size);
  Chunk* FindFit(size_t need);
  Chunk* FirstInBinsFrom(int bin) const;
  void Link(Chunk* c);
  void Unlink(Chunk* c);
  // Takes a free neighbour out of where it is filed.
  void Take(Chunk* c);
  bool Grow(size_t need);
  void AddRegion(Region region);
  // Marks c free, merges it with free neighbours and files it (or makes it top_).
  void Release(Chunk* c);
  // Cuts an in-use chunk down to need bytes, releasing the rest.
  void Trim(Chunk* c, size_t need);
  Chunk* Owned(void* ptr) const;
  // Merges every quick-listed chunk back into the heap; false if there were none.
  bool Flush();

  GrowFn grow_;
  Chunk* bins_[kBins] = {};
  Chunk* quick_[kQuickLists] = {};
  uint32_t bitmap_[kBitmapWords] = {};
  Segment* segments_ = nullptr;  // newest first
  // The free chunk just before the newest segment's sentinel, kept out of
  // the bins: requests no bin serves are cut from it, like a bump pointer.
  Chunk* top_ = nullptr;
  uintptr_t low_ = UINTPTR_MAX;  // the address range of every segment
  uintptr_t high_ = 0;
  size_t heap_bytes_ = 0;
};

// CompactHeap::ScrubFree on malloc's heap (compact_malloc.cc; wasm32
// builds with WS_PREINIT only); a no-op over dlmalloc.
void ScrubFreedMemory();

}  // namespace ws::alloc

#endif  // WASMSHIP_RUNTIME_SRC_COMPACT_HEAP_H_
