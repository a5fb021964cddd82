#include "compiler-driver/content_hash.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <filesystem>
#include <fstream>

#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

class FileHasherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("ws_hash_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(Path(name)) << text; }
  std::string Read(const std::string& name) const {
    Result<std::string> text = ReadFile(Path(name));
    return text ? *text : "";
  }
  // Sets a file's mtime `seconds` into the past, as an old header's is.
  void Age(const std::string& name, int seconds) {
    struct timeval times[2] = {{time(nullptr) - seconds, 0}, {time(nullptr) - seconds, 0}};
    ASSERT_EQ(::utimes(Path(name).c_str(), times), 0);
  }

  fs::path dir_;
};

TEST_F(FileHasherTest, HashesContentOncePerBuild) {
  Write("a.h", "one");
  FileHasher files(dir_.string());
  std::optional<std::string> first = files.Hash("a.h");
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, HashBytes("one"));
  Write("a.h", "two");
  EXPECT_EQ(files.Hash("a.h"), first);  // memoized for this build
  files.Forget("a.h");
  EXPECT_EQ(files.Hash("a.h"), HashBytes("two"));
  EXPECT_FALSE(files.Hash("missing.h"));
}

TEST_F(FileHasherTest, StatCacheSkipsReadingUnchangedOldFiles) {
  Write("old.h", "old");
  Age("old.h", 60);
  {
    FileHasher files(dir_.string(), Path("stamps"));
    EXPECT_EQ(files.Hash("old.h"), HashBytes("old"));
    files.SaveStatCache();
  }
  ASSERT_TRUE(fs::exists(Path("stamps")));
  // Other content of the same size under the same mtime: only a stamp can
  // answer with the old hash, which shows the file was not read.
  struct stat st {};
  ASSERT_EQ(::stat(Path("old.h").c_str(), &st), 0);
  Write("old.h", "new");
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, Path("old.h").c_str(), times, 0), 0);
  FileHasher again(dir_.string(), Path("stamps"));
  EXPECT_EQ(again.Hash("old.h"), HashBytes("old"));
  FileHasher without_stamps(dir_.string());
  EXPECT_EQ(without_stamps.Hash("old.h"), HashBytes("new"));
}

TEST_F(FileHasherTest, ChangedOrFreshFilesAreReadAgain) {
  Write("a.h", "aaaa");
  Age("a.h", 60);
  Write("fresh.h", "new");  // modified just now: never trusted from a stamp
  {
    FileHasher files(dir_.string(), Path("stamps"));
    files.Hash("a.h");
    files.Hash("fresh.h");
    files.SaveStatCache();
  }
  std::string stamps = Read("stamps");
  EXPECT_NE(stamps.find("a.h"), std::string::npos);
  EXPECT_EQ(stamps.find("fresh.h"), std::string::npos) << stamps;
  // Same size, other content and mtime: the new content is hashed.
  Write("a.h", "bbbb");
  Age("a.h", 30);
  FileHasher again(dir_.string(), Path("stamps"));
  EXPECT_EQ(again.Hash("a.h"), HashBytes("bbbb"));
}

TEST_F(FileHasherTest, RememberedFilesAreStampedAtOnce) {
  Write("object.o", "bytes");  // written just now, as a cache object is
  {
    FileHasher files(dir_.string(), Path("stamps"));
    files.Remember("object.o", HashBytes("bytes"));
    files.SaveStatCache();
  }
  struct stat st {};
  ASSERT_EQ(::stat(Path("object.o").c_str(), &st), 0);
  Write("object.o", "BYTES");
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, Path("object.o").c_str(), times, 0), 0);
  FileHasher again(dir_.string(), Path("stamps"));
  EXPECT_EQ(again.Hash("object.o"), HashBytes("bytes"));  // from the stamp
}

TEST_F(FileHasherTest, OnlyFilesThisBuildHashedAreSaved) {
  Write("a.h", "a");
  Write("b.h", "b");
  Age("a.h", 60);
  Age("b.h", 60);
  {
    FileHasher files(dir_.string(), Path("stamps"));
    files.Hash("a.h");
    files.Hash("b.h");
    files.SaveStatCache();
  }
  {
    FileHasher files(dir_.string(), Path("stamps"));
    files.Hash("a.h");
    files.SaveStatCache();
  }
  std::string stamps = Read("stamps");
  EXPECT_NE(stamps.find("a.h"), std::string::npos);
  EXPECT_EQ(stamps.find("b.h"), std::string::npos) << stamps;
}

TEST_F(FileHasherTest, AGarbledStatCacheIsIgnored) {
  Write("a.h", "x");
  Age("a.h", 60);
  Write("stamps", "not a stamp\n12 nope\n");
  FileHasher files(dir_.string(), Path("stamps"));
  EXPECT_EQ(files.Hash("a.h"), HashBytes("x"));
}

}  // namespace
}  // namespace ws
