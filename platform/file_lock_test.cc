#include "platform/file_lock.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace ws {
namespace {

TEST(FileLockTest, SecondHolderIsRefusedUntilReleased) {
  std::string path = (std::filesystem::temp_directory_path() / ("ws_lock_test_" + std::to_string(::getpid()) + ".lock")).string();
  {
    Result<FileLock> first = FileLock::TryAcquire(path);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->held());
    Result<FileLock> second = FileLock::TryAcquire(path);
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->held());
  }
  Result<FileLock> third = FileLock::TryAcquire(path);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->held());
}

}  // namespace
}  // namespace ws
