#include "src/compact_heap.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace ws::alloc {
namespace {

// The heap's memory in tests: a buffer handed out in steps, like
// memory.grow's pages. A gap before a step makes it non-contiguous.
struct TestArena {
  alignas(64) unsigned char bytes[8 << 20];
  size_t used = 0;
  size_t limit = sizeof(bytes);
  size_t step = 4096;
  size_t gap = 0;  // skipped before the next region
  int grows = 0;
};
TestArena* g_arena = nullptr;

Region Grow(size_t min_bytes) {
  TestArena& a = *g_arena;
  size_t want = (min_bytes + a.step - 1) / a.step * a.step;
  size_t at = a.used + a.gap;
  if (at + want > a.limit) return {nullptr, 0};
  a.used = at + want;
  ++a.grows;
  return {a.bytes + at, want};
}

class CompactHeapTest : public ::testing::Test {
 protected:
  // new, not make_unique: the 8 MiB buffer need not be zeroed.
  CompactHeapTest() : arena_(new TestArena) { g_arena = arena_.get(); }
  ~CompactHeapTest() override { g_arena = nullptr; }

  void Fill(void* p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; ++i) static_cast<unsigned char*>(p)[i] = static_cast<unsigned char>(seed + i * 7);
  }
  bool Holds(const void* p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; ++i) {
      if (static_cast<const unsigned char*>(p)[i] != static_cast<unsigned char>(seed + i * 7)) return false;
    }
    return true;
  }

  std::unique_ptr<TestArena> arena_;
  CompactHeap heap_{Grow};
};

TEST_F(CompactHeapTest, AllocationsAreAlignedDistinctAndUsable) {
  const std::vector<size_t> sizes = {0, 1, 7, 8, 15, 16, 17, 31, 100, 255, 4000};
  std::vector<void*> blocks;
  for (size_t size : sizes) {
    void* p = heap_.Allocate(size);
    ASSERT_NE(p, nullptr) << size;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kAlign, 0u) << size;
    EXPECT_GE(CompactHeap::UsableSize(p), size);
    Fill(p, CompactHeap::UsableSize(p), static_cast<unsigned char>(size));
    blocks.push_back(p);
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_TRUE(Holds(blocks[i], CompactHeap::UsableSize(blocks[i]), static_cast<unsigned char>(sizes[i])));
  }
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, FreedMemoryIsReusedAndCoalesced) {
  std::vector<void*> blocks;
  for (int i = 0; i < 200; ++i) blocks.push_back(heap_.Allocate(48));
  size_t heap_bytes = heap_.HeapBytes();
  // Free every other block, then the rest: neighbours merge back into one run.
  for (size_t i = 0; i < blocks.size(); i += 2) heap_.Free(blocks[i]);
  EXPECT_TRUE(heap_.CheckConsistency());
  for (size_t i = 1; i < blocks.size(); i += 2) heap_.Free(blocks[i]);
  EXPECT_TRUE(heap_.CheckConsistency());
  // All of it is one free chunk again: a block as large as all 200 fits without growing.
  void* big = heap_.Allocate(200 * 48);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(heap_.HeapBytes(), heap_bytes);
  heap_.Free(big);
  EXPECT_GE(heap_.FreeBytes(), heap_.HeapBytes() - 64);  // less the segment's header and sentinel
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, RepeatedAllocFreeCyclesDoNotGrowTheHeap) {
  std::mt19937 rng(7);
  std::vector<void*> live;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 100; ++i) live.push_back(heap_.Allocate(rng() % 700));
    for (void* p : live) heap_.Free(p);
    live.clear();
  }
  // One round's worth of memory (about 100 * 350 bytes), not fifty.
  EXPECT_LT(heap_.HeapBytes(), 100u * 1024);
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, ReallocGrowsAndShrinksKeepingContents) {
  char* p = static_cast<char*>(heap_.Allocate(10));
  size_t filled = 10;
  Fill(p, filled, 5);
  // Grows in place at the heap's end, or moves: either way the bytes stay.
  for (size_t size : {20, 100, 1000, 50000, 300000}) {
    p = static_cast<char*>(heap_.Reallocate(p, size));
    ASSERT_NE(p, nullptr) << size;
    EXPECT_TRUE(Holds(p, filled, 5)) << size;
    filled = size;
    Fill(p, filled, 5);
    ASSERT_TRUE(heap_.CheckConsistency()) << size;
  }
  void* same = heap_.Reallocate(p, 64);
  EXPECT_EQ(same, p);  // shrinking stays in place
  EXPECT_TRUE(Holds(p, 64, 5));
  EXPECT_LT(CompactHeap::UsableSize(p), 200u);
  EXPECT_TRUE(heap_.CheckConsistency());
  EXPECT_NE(heap_.Reallocate(nullptr, 30), nullptr);
}

TEST_F(CompactHeapTest, ReallocUsesTheFreeNeighbourInPlace) {
  void* a = heap_.Allocate(64);
  void* b = heap_.Allocate(256);
  void* c = heap_.Allocate(64);
  Fill(a, 64, 9);
  heap_.Free(b);
  void* grown = heap_.Reallocate(a, 64 + 200);
  EXPECT_EQ(grown, a);
  EXPECT_TRUE(Holds(grown, 64, 9));
  EXPECT_TRUE(heap_.CheckConsistency());
  heap_.Free(c);
  heap_.Free(grown);
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, LargeBlocksAndRunningOutOfMemory) {
  arena_->limit = 4 << 20;
  void* big = heap_.Allocate(3 << 20);
  ASSERT_NE(big, nullptr);
  std::memset(big, 0xAB, 3 << 20);
  EXPECT_EQ(heap_.Allocate(2 << 20), nullptr);  // would pass the limit
  EXPECT_EQ(heap_.Allocate(SIZE_MAX), nullptr);
  EXPECT_EQ(heap_.Allocate(SIZE_MAX - 8), nullptr);
  EXPECT_EQ(heap_.AllocateZeroed(SIZE_MAX / 2, 4), nullptr);  // count * size overflows
  void* failed = heap_.Reallocate(big, 5 << 20);
  EXPECT_EQ(failed, nullptr);
  EXPECT_EQ(static_cast<unsigned char*>(big)[(3 << 20) - 1], 0xAB);  // untouched
  heap_.Free(big);
  EXPECT_NE(heap_.Allocate(2 << 20), nullptr);  // the freed block serves it
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, NonContiguousGrowthStartsNewSegments) {
  arena_->gap = 4096;
  std::vector<void*> blocks;
  for (int i = 0; i < 40; ++i) {
    blocks.push_back(heap_.Allocate(3000));
    ASSERT_NE(blocks.back(), nullptr);
    Fill(blocks.back(), 3000, static_cast<unsigned char>(i));
  }
  EXPECT_GT(arena_->grows, 5);
  EXPECT_TRUE(heap_.CheckConsistency());
  for (int i = 0; i < 40; ++i) EXPECT_TRUE(Holds(blocks[i], 3000, static_cast<unsigned char>(i)));
  for (void* p : blocks) heap_.Free(p);
  int grows = arena_->grows;
  EXPECT_NE(heap_.Allocate(3000), nullptr);  // freed memory, no growth
  EXPECT_EQ(arena_->grows, grows);
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, AlignedAllocationsHonourTheirAlignment) {
  std::vector<void*> blocks;
  for (size_t alignment : {1, 2, 8, 16, 32, 64, 256, 4096, 65536}) {
    for (size_t size : {1, 24, 100, 5000}) {
      void* p = heap_.AllocateAligned(alignment, size);
      ASSERT_NE(p, nullptr) << alignment << " " << size;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u) << alignment;
      EXPECT_GE(CompactHeap::UsableSize(p), size);
      Fill(p, size, 1);
      blocks.push_back(p);
      ASSERT_TRUE(heap_.CheckConsistency()) << alignment << " " << size;
    }
  }
  EXPECT_EQ(heap_.AllocateAligned(24, 10), nullptr);  // not a power of two
  EXPECT_EQ(heap_.AllocateAligned(0, 10), nullptr);
  for (void* p : blocks) heap_.Free(p);
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, CallocZeroesReusedMemory) {
  void* dirty = heap_.Allocate(1000);
  std::memset(dirty, 0xFF, 1000);
  heap_.Free(dirty);
  unsigned char* p = static_cast<unsigned char*>(heap_.AllocateZeroed(250, 4));
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(p[i], 0) << i;
}

// Pre-initialization's snapshot: after ScrubFree only live blocks and the
// free lists' links are non-zero, and the heap still works.
TEST_F(CompactHeapTest, ScrubFreeZeroesWhatWasFreedAndKeepsTheLiveBlocks) {
  std::vector<void*> blocks;
  for (size_t size : {24, 100, 300, 5000, 40, 700}) {
    blocks.push_back(heap_.Allocate(size));
    Fill(blocks.back(), size, static_cast<unsigned char>(size));
  }
  void* kept = blocks[2];
  for (void* p : blocks) {
    if (p != kept) heap_.Free(p);
  }
  heap_.ScrubFree();
  EXPECT_TRUE(heap_.CheckConsistency());
  EXPECT_TRUE(Holds(kept, 300, 300 % 256));
  size_t nonzero = 0;
  for (size_t i = 0; i < arena_->used; ++i) nonzero += arena_->bytes[i] != 0;
  // The live block, and per chunk a header and two links (16 bytes each on 64-bit).
  EXPECT_LT(nonzero, 300 + 12 * 32u) << nonzero;
  void* again = heap_.Allocate(5000);
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(heap_.CheckConsistency());
}

TEST_F(CompactHeapTest, FreeIgnoresPointersItDidNotHandOut) {
  char* p = static_cast<char*>(heap_.Allocate(100));
  Fill(p, 100, 4);
  int outside = 0;
  heap_.Free(&outside);  // not in the heap
  heap_.Free(p + 16);    // inside a block
  heap_.Free(p + 3);     // misaligned
  EXPECT_TRUE(Holds(p, 100, 4));
  EXPECT_TRUE(heap_.CheckConsistency());
  heap_.Free(p);
  heap_.Free(p);  // twice: the second is ignored
  EXPECT_TRUE(heap_.CheckConsistency());
  EXPECT_EQ(heap_.Reallocate(&outside, 10), nullptr);
}

// Random operations against a shadow model: every live block keeps its own
// bytes, no two overlap, and the heap's invariants hold throughout.
TEST_F(CompactHeapTest, RandomizedStressAgainstAShadowModel) {
  std::mt19937 rng(1234);
  struct Block {
    size_t size;
    unsigned char seed;
  };
  std::map<uintptr_t, Block> live;
  auto size_of = [&rng]() -> size_t {
    switch (rng() % 8) {
      case 0: return rng() % 20000;
      case 1: return rng() % 2000;
      default: return rng() % 160;
    }
  };
  auto add = [&](void* p, size_t size) {
    ASSERT_NE(p, nullptr);
    uintptr_t at = reinterpret_cast<uintptr_t>(p);
    auto after = live.lower_bound(at);
    if (after != live.end()) ASSERT_LE(at + size, after->first) << "overlaps the next block";
    if (after != live.begin()) ASSERT_LE(std::prev(after)->first + std::prev(after)->second.size, at);
    unsigned char seed = static_cast<unsigned char>(rng());
    Fill(p, size, seed);
    live[at] = {size, seed};
  };
  for (int op = 0; op < 20000; ++op) {
    int kind = static_cast<int>(rng() % 10);
    if (live.empty() || kind < 4) {
      size_t size = size_of();
      add(kind == 0 ? heap_.AllocateZeroed(1, size) : heap_.Allocate(size), size);
    } else if (kind < 7) {
      auto it = std::next(live.begin(), static_cast<long>(rng() % live.size()));
      ASSERT_TRUE(Holds(reinterpret_cast<void*>(it->first), it->second.size, it->second.seed));
      heap_.Free(reinterpret_cast<void*>(it->first));
      live.erase(it);
    } else if (kind < 9) {
      auto it = std::next(live.begin(), static_cast<long>(rng() % live.size()));
      Block old = it->second;
      size_t size = size_of();
      void* p = heap_.Reallocate(reinterpret_cast<void*>(it->first), size);
      live.erase(it);
      ASSERT_NE(p, nullptr);
      ASSERT_TRUE(Holds(p, old.size < size ? old.size : size, old.seed));
      add(p, size);
    } else {
      size_t alignment = size_t{1} << (rng() % 10);
      size_t size = size_of();
      void* p = heap_.AllocateAligned(alignment, size);
      ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
      add(p, size);
    }
    if (op % 500 == 0) ASSERT_TRUE(heap_.CheckConsistency()) << "after op " << op;
  }
  for (auto& [at, block] : live) {
    ASSERT_TRUE(Holds(reinterpret_cast<void*>(at), block.size, block.seed));
    heap_.Free(reinterpret_cast<void*>(at));
  }
  EXPECT_TRUE(heap_.CheckConsistency());
  // Everything merged back: the free bytes are the heap less headers and sentinels.
  EXPECT_GT(heap_.FreeBytes(), heap_.HeapBytes() * 99 / 100);
}

}  // namespace
}  // namespace ws::alloc
