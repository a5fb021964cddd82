#include "platform/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace ws {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ws_atomic_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAndReplaces) {
  std::string path = (dir_ / "sub" / "out.bin").string();
  ASSERT_TRUE(WriteFileAtomically(path, "first"));
  ASSERT_TRUE(WriteFileAtomically(path, "second"));
  EXPECT_EQ(*ReadFile(path), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "sub"), fs::directory_iterator()), 1);
}

TEST_F(AtomicFileTest, UncommittedFileLeavesOldContentAndNoTemp) {
  std::string path = (dir_ / "out.bin").string();
  ASSERT_TRUE(WriteFileAtomically(path, "good"));
  {
    PendingFile pending(path);
    ASSERT_TRUE(pending.Write("half"));
    EXPECT_TRUE(fs::exists(pending.temp_path()));
  }
  EXPECT_EQ(*ReadFile(path), "good");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(AtomicFileTest, ReadMissingFileIsAnError) {
  Result<std::string> text = ReadFile((dir_ / "missing").string());
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace ws
