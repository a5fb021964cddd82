#include "platform/heap_tuning.h"

#include <gtest/gtest.h>

#include <memory>

namespace ws {
namespace {

TEST(HeapTuningTest, TheCLibraryTakesEverySetting) {
  EXPECT_TRUE(KeepFreedMemory());
  // Allocation works as before afterwards.
  auto block = std::make_unique<char[]>(48 << 20);
  block[0] = 1;
  EXPECT_EQ(block[0], 1);
}

}  // namespace
}  // namespace ws
