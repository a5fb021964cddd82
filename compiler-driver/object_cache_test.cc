#include "compiler-driver/object_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

class ObjectCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("ws_cache_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "src");
    Write("src/a.h", "int a;");
    Write("obj.tmp", "OBJECT-BYTES");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) { std::ofstream(root_ / rel) << text; }

  Result<CachedObject> Store(ObjectCache& cache, const std::string& key) {
    FileHasher files(root_.string());
    return cache.Store(key, (root_ / "obj.tmp").string(), {"src/a.h"}, files);
  }
  CacheLookup Lookup(ObjectCache& cache, const std::string& key) {
    FileHasher files(root_.string());
    return cache.Lookup(StepKind::kCompile, key, files, "compile a.cc");
  }

  fs::path root_;
};

const std::string kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST_F(ObjectCacheTest, HitAfterStore) {
  ActionCache actions((root_ / "cache").string());
  ObjectCache cache(actions);
  EXPECT_FALSE(Lookup(cache, kKey).hit);
  Result<CachedObject> stored = Store(cache, kKey);
  ASSERT_TRUE(stored) << stored.error().message;
  CacheLookup found = Lookup(cache, kKey);
  ASSERT_TRUE(found.hit);
  EXPECT_EQ(found.object.path, stored->path);
  EXPECT_EQ(*ReadFile(found.object.path), "OBJECT-BYTES");
}

TEST_F(ObjectCacheTest, HeaderEditMisses) {
  ActionCache actions((root_ / "cache").string());
  ObjectCache cache(actions);
  ASSERT_TRUE(Store(cache, kKey));
  Write("src/a.h", "int a, b;");
  EXPECT_FALSE(Lookup(cache, kKey).hit);
  Write("src/a.h", "int a;");  // back to the recorded content
  EXPECT_TRUE(Lookup(cache, kKey).hit);
}

TEST_F(ObjectCacheTest, KeepsSeveralHeaderVersions) {
  ActionCache actions((root_ / "cache").string());
  ObjectCache cache(actions);
  ASSERT_TRUE(Store(cache, kKey));
  Write("src/a.h", "int a, b;");
  Write("obj.tmp", "OTHER-OBJECT");
  ASSERT_TRUE(Store(cache, kKey));
  EXPECT_EQ(*ReadFile(Lookup(cache, kKey).object.path), "OTHER-OBJECT");
  Write("src/a.h", "int a;");
  EXPECT_EQ(*ReadFile(Lookup(cache, kKey).object.path), "OBJECT-BYTES");
}

TEST_F(ObjectCacheTest, CorruptObjectIsDetectedAndDropped) {
  ActionCache actions((root_ / "cache").string());
  ObjectCache cache(actions);
  Result<CachedObject> stored = Store(cache, kKey);
  ASSERT_TRUE(stored);
  std::ofstream(stored->path, std::ios::binary | std::ios::trunc) << "OBJECT-BYTEZ";
  CacheLookup found = Lookup(cache, kKey);
  EXPECT_FALSE(found.hit);
  EXPECT_TRUE(found.corrupt);
  EXPECT_FALSE(fs::exists(stored->path));
  ASSERT_TRUE(Store(cache, kKey));  // the rebuild stores a good copy again
  EXPECT_TRUE(Lookup(cache, kKey).hit);
  EXPECT_EQ(actions.counters().corrupt, 1u);
  EXPECT_EQ(actions.counters().hits[static_cast<size_t>(StepKind::kCompile)], 1u);
}

TEST_F(ObjectCacheTest, DamagedEntryFileIsAMiss) {
  ActionCache actions((root_ / "cache").string());
  ObjectCache cache(actions);
  ASSERT_TRUE(Store(cache, kKey));
  for (const auto& f : fs::recursive_directory_iterator(root_ / "cache" / "ac")) {
    if (f.is_regular_file()) std::ofstream(f.path(), std::ios::trunc) << "garbage\n";
  }
  EXPECT_FALSE(Lookup(cache, kKey).hit);
}

}  // namespace
}  // namespace ws
