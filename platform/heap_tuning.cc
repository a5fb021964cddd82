#include "platform/heap_tuning.h"

#include <malloc.h>

namespace ws {

bool KeepFreedMemory() {
  constexpr int kMiB = 1 << 20;
  // Never trim the heap's top; serve large blocks from the heap too (32 MiB
  // is the most glibc allows); grow the heap in 64 MiB steps.
  bool trim = mallopt(M_TRIM_THRESHOLD, 1024 * kMiB) == 1;
  bool mmap = mallopt(M_MMAP_THRESHOLD, 32 * kMiB) == 1;
  bool pad = mallopt(M_TOP_PAD, 64 * kMiB) == 1;
  return trim && mmap && pad;
}

}  // namespace ws
