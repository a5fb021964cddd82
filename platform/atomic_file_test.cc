#include "platform/atomic_file.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

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

TEST_F(AtomicFileTest, ReadRefusesFilesOverTheLimitNamingFileAndLimit) {
  std::string path = (dir_ / "big.yaml").string();
  ASSERT_TRUE(WriteFileAtomically(path, std::string(2000, 'x')));
  EXPECT_EQ(ReadFile(path, {"key file", 2000})->size(), 2000u);
  Result<std::string> text = ReadFile(path, {"key file", 1999});
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find(path), std::string::npos) << text.error().message;
  EXPECT_NE(text.error().message.find("a key file may be at most 1999 bytes"), std::string::npos)
      << text.error().message;
}

TEST_F(AtomicFileTest, ReadRefusesDevicesWithoutReadingThem) {
  // /dev/zero never ends: reading it would allocate until memory runs out.
  Result<std::string> text = ReadFile("/dev/zero", kModuleFile);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("/dev/zero: it is a character device, not a regular file"), std::string::npos)
      << text.error().message;
}

TEST_F(AtomicFileTest, ReadRefusesFifoAndDirectoryWithoutBlocking) {
  fs::create_directories(dir_);
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> from_fifo = ReadFile(fifo);  // no writer: a blocking open would never return
  ASSERT_FALSE(from_fifo);
  EXPECT_NE(from_fifo.error().message.find("a FIFO"), std::string::npos) << from_fifo.error().message;
  Result<std::string> from_dir = ReadFile(dir_.string());
  ASSERT_FALSE(from_dir);
  EXPECT_NE(from_dir.error().message.find("a directory"), std::string::npos) << from_dir.error().message;
}

TEST_F(AtomicFileTest, ReadCapsFilesThatReportNoSize) {
  // /proc files say they are empty and then produce bytes.
  Result<std::string> text = ReadFile("/proc/self/maps", {"report", 16});
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("more than 16 bytes"), std::string::npos) << text.error().message;
}

}  // namespace
}  // namespace ws
