#include "src/compact_heap.h"

#include <cstring>

namespace ws::alloc {

// A chunk: a two-word header, then the payload (kAlign-aligned). Chunks tile
// each segment, which ends in a sentinel: a header with size 0, in use.
// prev_size always holds the size of the chunk just before (0 for a
// segment's first), so both neighbours are found from any chunk.
struct Chunk {
  size_t prev_size;
  size_t head;  // size | kInUse | kQuick
  // Free chunks only, in the payload:
  Chunk* next;
  Chunk* prev;
};

// Where each segment starts; newest first.
struct Segment {
  Segment* next;
  uintptr_t end;  // one past the sentinel
};

namespace {

constexpr size_t kInUse = 1;
constexpr size_t kQuick = 2;  // with kInUse: freed, waiting in a quick list
constexpr size_t kHeader = 2 * sizeof(size_t);
constexpr size_t kMinChunk = (kHeader + 2 * sizeof(void*) + kAlign - 1) & ~(kAlign - 1);
// Sizes above this are refused before any arithmetic can overflow.
constexpr size_t kMaxRequest = SIZE_MAX / 2;
constexpr int kExactBins = 32;  // chunk sizes below 32 * kAlign: one bin per size

constexpr uintptr_t AlignUp(uintptr_t v, size_t a) { return (v + a - 1) & ~(uintptr_t{a} - 1); }

// Chunk size for a request: header included, rounded, never below the minimum.
constexpr size_t ChunkSizeFor(size_t request) {
  size_t size = AlignUp(request + kHeader, kAlign);
  return size < kMinChunk ? kMinChunk : size;
}

// The first chunk address at or after v whose payload is aligned.
uintptr_t ChunkAddressFrom(uintptr_t v) { return AlignUp(v + kHeader, kAlign) - kHeader; }

int Log2(size_t v) { return static_cast<int>(sizeof(size_t) * 8 - 1) - __builtin_clzl(v); }

size_t SizeOf(const Chunk* c) { return c->head & ~(kAlign - 1); }
bool InUse(const Chunk* c) { return (c->head & kInUse) != 0; }
Chunk* At(uintptr_t address) { return reinterpret_cast<Chunk*>(address); }
uintptr_t Address(const void* p) { return reinterpret_cast<uintptr_t>(p); }
Chunk* NextOf(const Chunk* c) { return At(Address(c) + SizeOf(c)); }
Chunk* PrevOf(const Chunk* c) { return At(Address(c) - c->prev_size); }
char* PayloadOf(Chunk* c) { return reinterpret_cast<char*>(c) + kHeader; }
Chunk* ChunkOf(const void* payload) { return At(Address(payload) - kHeader); }

}  // namespace


int CompactHeap::BinOf(size_t size) {
  if (size < kExactBins * kAlign) return static_cast<int>(size / kAlign);
  int lg = Log2(size);
  int bin = kExactBins + (lg - Log2(kExactBins * kAlign)) * 4 + static_cast<int>((size >> (lg - 2)) & 3);
  return bin < kBins ? bin : kBins - 1;
}

void CompactHeap::Link(Chunk* c) {
  int bin = BinOf(SizeOf(c));
  c->prev = nullptr;
  c->next = bins_[bin];
  if (c->next != nullptr) c->next->prev = c;
  bins_[bin] = c;
  bitmap_[bin / 32] |= 1u << (bin % 32);
}

void CompactHeap::Unlink(Chunk* c) {
  int bin = BinOf(SizeOf(c));
  if (c->prev != nullptr) {
    c->prev->next = c->next;
  } else {
    bins_[bin] = c->next;
    if (c->next == nullptr) bitmap_[bin / 32] &= ~(1u << (bin % 32));
  }
  if (c->next != nullptr) c->next->prev = c->prev;
}

Chunk* CompactHeap::FirstInBinsFrom(int bin) const {
  for (int word = bin / 32; word < kBitmapWords; ++word) {
    uint32_t bits = bitmap_[word];
    if (word == bin / 32) bits &= ~0u << (bin % 32);
    if (bits != 0) return bins_[word * 32 + __builtin_ctz(bits)];
  }
  return nullptr;
}

// Good fit: a chunk of the request's own bin that is large enough (every one
// is, for the exact bins), else the first chunk of the next non-empty bin,
// all of whose chunks are larger.
Chunk* CompactHeap::FindFit(size_t need) {
  int bin = BinOf(need);
  for (Chunk* c = bins_[bin]; c != nullptr; c = c->next) {
    if (SizeOf(c) >= need) return c;
  }
  return bin + 1 < kBins ? FirstInBinsFrom(bin + 1) : nullptr;
}

void CompactHeap::Take(Chunk* c) {
  if (c == top_) {
    top_ = nullptr;
  } else {
    Unlink(c);
  }
}

void CompactHeap::Release(Chunk* c) {
  size_t size = SizeOf(c);
  Chunk* next = NextOf(c);
  if (!InUse(next)) {
    Take(next);
    size += SizeOf(next);
  }
  if (c->prev_size != 0 && !InUse(PrevOf(c))) {
    c = PrevOf(c);
    Take(c);
    size += SizeOf(c);
  }
  c->head = size;
  NextOf(c)->prev_size = size;
  if (Address(c) + size + kHeader == segments_->end) {
    top_ = c;
  } else {
    Link(c);
  }
}

void CompactHeap::Trim(Chunk* c, size_t need) {
  size_t size = SizeOf(c);
  if (size - need < kMinChunk) return;
  Chunk* rest = At(Address(c) + need);
  c->head = need | kInUse;
  rest->prev_size = need;
  rest->head = (size - need) | kInUse;
  NextOf(rest)->prev_size = size - need;
  Release(rest);
}

void CompactHeap::AddRegion(Region region) {
  uintptr_t begin = Address(region.begin);
  uintptr_t end = begin + region.size;
  Segment* last = segments_;
  bool contiguous = last != nullptr && begin == last->end;
  // Contiguous: the old sentinel becomes the start of the new free space.
  uintptr_t segment_at = AlignUp(begin, alignof(Segment));
  uintptr_t first_at = contiguous ? last->end - kHeader : ChunkAddressFrom(segment_at + sizeof(Segment));
  if (first_at + kHeader > end) return;
  // The free chunk runs to the last aligned header that fits: the sentinel.
  size_t size = (end - kHeader - first_at) & ~(kAlign - 1);
  if (size < kMinChunk) return;  // too small to use
  Chunk* first = At(first_at);
  if (!contiguous) {
    if (top_ != nullptr) Link(top_);  // an older segment's end is an ordinary free chunk now
    top_ = nullptr;
    last = reinterpret_cast<Segment*>(segment_at);
    last->next = segments_;
    segments_ = last;
    first->prev_size = 0;
    if (begin < low_) low_ = begin;
  }
  last->end = first_at + size + kHeader;
  if (last->end > high_) high_ = last->end;
  heap_bytes_ += region.size;
  Chunk* sentinel = At(first_at + size);
  sentinel->head = kInUse;
  sentinel->prev_size = size;
  // Release joins it to a free chunk before it.
  first->head = size | kInUse;
  Release(first);
}

bool CompactHeap::Grow(size_t need) {
  // Room for a new segment's header and sentinel, should it not be contiguous.
  Region region = grow_(need + sizeof(Segment) + kHeader + 2 * kAlign);
  if (region.size == 0) return false;
  AddRegion(region);
  return true;
}

void* CompactHeap::Allocate(size_t size) {
  if (size > kMaxRequest) return nullptr;
  size_t need = ChunkSizeFor(size);
  if (need <= kQuickMax && quick_[need / kAlign] != nullptr) {
    Chunk* c = quick_[need / kAlign];
    quick_[need / kAlign] = c->next;
    c->head = need | kInUse;
    return PayloadOf(c);
  }
  Chunk* c = FindFit(need);
  if (c == nullptr && (top_ == nullptr || SizeOf(top_) < need)) {
    if (Flush()) return Allocate(size);
    if (!Grow(need)) return nullptr;
    c = FindFit(need);  // a new segment's old top went to the bins
  }
  if (c != nullptr) {
    Unlink(c);
  } else if (top_ != nullptr && SizeOf(top_) >= need) {
    c = top_;
    top_ = nullptr;
  } else {
    return nullptr;
  }
  c->head |= kInUse;
  Trim(c, need);
  return PayloadOf(c);
}

// Cheap checks that turn a stray pointer away: inside the heap, aligned, a
// live chunk whose size its successor agrees on.
Chunk* CompactHeap::Owned(void* ptr) const {
  uintptr_t p = Address(ptr);
  if (p % kAlign != 0 || p < low_ + kHeader || p >= high_) return nullptr;
  Chunk* c = ChunkOf(ptr);
  if ((c->head & (kAlign - 1)) != kInUse || SizeOf(c) > high_ - p) return nullptr;
  return NextOf(c)->prev_size == SizeOf(c) ? c : nullptr;
}

void CompactHeap::ScrubFree() {
  Flush();
  auto scrub = [](Chunk* c) {
    char* links_end = PayloadOf(c) + 2 * sizeof(Chunk*);
    char* end = reinterpret_cast<char*>(c) + SizeOf(c);  // the next chunk's header starts here
    if (end > links_end) std::memset(links_end, 0, static_cast<size_t>(end - links_end));
  };
  if (top_ != nullptr) scrub(top_);
  for (Chunk* bin : bins_) {
    for (Chunk* c = bin; c != nullptr; c = c->next) scrub(c);
  }
}

bool CompactHeap::Flush() {
  bool any = false;
  for (Chunk*& list : quick_) {
    while (list != nullptr) {
      Chunk* c = list;
      list = c->next;
      c->head &= ~kQuick;
      Release(c);
      any = true;
    }
  }
  return any;
}

void CompactHeap::Free(void* ptr) {
  Chunk* c = Owned(ptr);
  if (c == nullptr) return;
  size_t size = SizeOf(c);
  if (size <= kQuickMax) {
    c->head |= kQuick;
    c->next = quick_[size / kAlign];
    quick_[size / kAlign] = c;
    return;
  }
  Release(c);
}

void* CompactHeap::Reallocate(void* ptr, size_t size) {
  if (ptr == nullptr) return Allocate(size);
  Chunk* c = Owned(ptr);
  if (c == nullptr || size > kMaxRequest) return nullptr;
  size_t need = ChunkSizeFor(size);
  if (SizeOf(c) < need) {
    Chunk* next = NextOf(c);
    // At a segment's end (the sentinel), growing may make the space after it free.
    if (InUse(next) && SizeOf(next) == 0 && Address(next) + kHeader == segments_->end) {
      Grow(need - SizeOf(c));
      next = NextOf(c);
    }
    if (InUse(next) || SizeOf(c) + SizeOf(next) < need) {
      void* moved = Allocate(size);
      if (moved == nullptr) return nullptr;
      std::memcpy(moved, ptr, SizeOf(c) - kHeader);
      Release(c);
      return moved;
    }
    Take(next);
    c->head = (SizeOf(c) + SizeOf(next)) | kInUse;
    NextOf(c)->prev_size = SizeOf(c);
  }
  Trim(c, need);
  return ptr;
}

void* CompactHeap::AllocateZeroed(size_t count, size_t size) {
  size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) return nullptr;
  void* p = Allocate(total);
  if (p != nullptr) std::memset(p, 0, total);
  return p;
}

void* CompactHeap::AllocateAligned(size_t alignment, size_t size) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) return nullptr;
  if (alignment <= kAlign) return Allocate(size);
  if (size > kMaxRequest || alignment > kMaxRequest / 2) return nullptr;
  char* p = static_cast<char*>(Allocate(size + alignment + kMinChunk));
  if (p == nullptr) return nullptr;
  Chunk* c = ChunkOf(p);
  uintptr_t at = Address(p);
  if (at % alignment != 0) {
    // Leave a leading free chunk of at least the minimum size.
    uintptr_t aligned = AlignUp(at + kMinChunk, alignment);
    size_t lead = aligned - at;
    Chunk* moved = At(aligned - kHeader);
    moved->head = (SizeOf(c) - lead) | kInUse;
    moved->prev_size = lead;
    NextOf(moved)->prev_size = SizeOf(moved);
    c->head = lead | kInUse;
    Release(c);
    c = moved;
  }
  Trim(c, ChunkSizeFor(size));
  return PayloadOf(c);
}

size_t CompactHeap::UsableSize(const void* ptr) {
  if (ptr == nullptr) return 0;
  const Chunk* c = ChunkOf(ptr);
  return SizeOf(c) - kHeader;
}

size_t CompactHeap::FreeBytes() const {
  size_t total = top_ != nullptr ? SizeOf(top_) : 0;
  for (const Chunk* list : quick_) {
    for (const Chunk* c = list; c != nullptr; c = c->next) total += SizeOf(c);
  }
  for (const Chunk* bin : bins_) {
    for (const Chunk* c = bin; c != nullptr; c = c->next) total += SizeOf(c);
  }
  return total;
}

bool CompactHeap::CheckConsistency() const {
  size_t free_walked = 0;
  for (const Segment* s = segments_; s != nullptr; s = s->next) {
    const Chunk* c = At(ChunkAddressFrom(Address(s) + sizeof(Segment)));
    if (c->prev_size != 0) return false;
    bool prev_free = false;
    while (SizeOf(c) != 0) {
      if (SizeOf(c) % kAlign != 0 || SizeOf(c) < kMinChunk) return false;
      if ((Address(c) + kHeader) % kAlign != 0) return false;
      const Chunk* next = NextOf(c);
      if (Address(next) + kHeader > s->end || next->prev_size != SizeOf(c)) return false;
      if (!InUse(c)) {
        if (prev_free) return false;  // two free neighbours: a missed merge
        free_walked += SizeOf(c);
      }
      if ((c->head & kQuick) != 0) free_walked += SizeOf(c);
      prev_free = !InUse(c);
      c = next;
    }
    if (!InUse(c) || Address(c) + kHeader != s->end) return false;
  }
  for (int bin = 0; bin < kBins; ++bin) {
    bool marked = (bitmap_[bin / 32] >> (bin % 32)) & 1;
    if (marked != (bins_[bin] != nullptr)) return false;
    for (const Chunk* c = bins_[bin]; c != nullptr; c = c->next) {
      if (InUse(c) || BinOf(SizeOf(c)) != bin || (c->next != nullptr && c->next->prev != c)) return false;
    }
  }
  return free_walked == FreeBytes();
}

}  // namespace ws::alloc
