#include "action-cache/action_cache.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "action-cache/cache_maintenance.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// A remote in memory: what a bazel-remote server would hold.
class MemoryRemote : public RemoteStore {
 public:
  std::vector<std::optional<std::string>> Get(RemoteArea area, const std::vector<std::string>& digests) override {
    ++get_batches;
    std::vector<std::optional<std::string>> out;
    for (const std::string& d : digests) {
      auto it = Area(area).find(d);
      out.push_back(it == Area(area).end() ? std::nullopt : std::optional<std::string>(it->second));
    }
    return out;
  }
  void Put(RemoteArea area, const std::string& digest, std::string bytes) override {
    pending.emplace_back(area, digest, std::move(bytes));
  }
  void Flush() override {
    for (auto& [area, digest, bytes] : pending) Area(area)[digest] = bytes;
    pending.clear();
    ++flushes;
  }
  std::map<std::string, std::string>& Area(RemoteArea area) { return area == RemoteArea::kContent ? cas : ac; }

  std::map<std::string, std::string> ac, cas;
  std::vector<std::tuple<RemoteArea, std::string, std::string>> pending;
  int get_batches = 0;
  int flushes = 0;
};

class ActionCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(testing::TempDir()) / "action-cache-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  std::string Key(const std::string& what) { return ActionKey("test").Add(what).Finish(); }

  std::string dir_;
};

TEST_F(ActionCacheTest, KeysAreSha256OfLengthPrefixedFields) {
  std::string key = ActionKey("link").Add("ab").Add("c").Finish();
  EXPECT_EQ(key.size(), 64u);
  EXPECT_NE(key, ActionKey("link").Add("a").Add("bc").Finish());
  EXPECT_EQ(key, ActionKey("link").Add("ab").Add("c").Finish());
  EXPECT_EQ(ContentDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(ActionCacheTest, StoresAndFindsOutputsByContent) {
  ActionCache cache(dir_ + "/c");
  std::string key = Key("a");
  EXPECT_FALSE(cache.Lookup(StepKind::kLink, key, "link"));
  Result<ActionResult> stored = cache.Store(key, {{"module", "wasm bytes"}, {"map", "map text"}});
  ASSERT_TRUE(stored) << stored.error().message;
  std::optional<ActionResult> found = cache.Lookup(StepKind::kLink, key, "link");
  ASSERT_TRUE(found);
  ASSERT_NE(found->Find("module"), nullptr);
  EXPECT_EQ(*ReadFile(cache.BlobPath(found->Find("module")->sha256)), "wasm bytes");
  EXPECT_EQ(found->Find("map")->size, 8u);
  EXPECT_TRUE(fs::exists(dir_ + "/c/ac/" + key.substr(0, 2) + "/" + key));
  CacheCounters c = cache.counters();
  EXPECT_EQ(c.hits[static_cast<size_t>(StepKind::kLink)], 1u);
  EXPECT_EQ(c.misses[static_cast<size_t>(StepKind::kLink)], 1u);
}

TEST_F(ActionCacheTest, DamagedBlobIsRemovedReportedAndStoredAgain) {
  ActionCache cache(dir_);
  std::vector<std::string> warnings;
  cache.SetWarn([&](const std::string& w) { warnings.push_back(w); });
  std::string key = Key("b");
  ASSERT_TRUE(cache.Store(key, {{"out", "good content"}}));
  std::string blob = cache.BlobPath(ContentDigest("good content"));
  ASSERT_TRUE(WriteFileAtomically(blob, "evil content"));  // same size, other bytes
  EXPECT_FALSE(cache.Lookup(StepKind::kOptimize, key, "optimize x"));
  EXPECT_FALSE(fs::exists(blob));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("optimize x"), std::string::npos);
  EXPECT_EQ(cache.counters().corrupt, 1u);
  ASSERT_TRUE(cache.Store(key, {{"out", "good content"}}));
  EXPECT_TRUE(cache.Lookup(StepKind::kOptimize, key, "optimize x"));
}

TEST_F(ActionCacheTest, StoringOverAnUndetectedDamagedBlobRepairsIt) {
  ActionCache cache(dir_);
  ASSERT_TRUE(cache.Store(Key("m"), {{"out", "good content"}}));
  std::string blob = cache.BlobPath(ContentDigest("good content"));
  ASSERT_TRUE(WriteFileAtomically(blob, "evil content"));  // same size
  ASSERT_TRUE(cache.Store(Key("n"), {{"out", "good content"}}));
  EXPECT_EQ(*ReadFile(blob), "good content");
}

TEST_F(ActionCacheTest, DamagedEntryIsRemoved) {
  ActionCache cache(dir_);
  std::string key = Key("c");
  ASSERT_TRUE(cache.Store(key, {{"out", "x"}}));
  ASSERT_TRUE(WriteFileAtomically(cache.EntryPath(key), "{\"wasmship_action\":1,\"results\":[{\"outputs\":[{}]}]}"));
  EXPECT_FALSE(cache.Lookup(StepKind::kBundle, key, "bundle"));
  EXPECT_FALSE(fs::exists(cache.EntryPath(key)));
}

TEST_F(ActionCacheTest, DependencyAlternativesAreKeptNewestFirst) {
  ActionCache cache(dir_);
  std::string key = Key("d");
  ASSERT_TRUE(cache.Store(key, {{"object", "o1"}}, {{"a.h", "h1"}}, 8));
  ASSERT_TRUE(cache.Store(key, {{"object", "o2"}}, {{"a.h", "h2"}}, 8));
  ASSERT_TRUE(cache.Store(key, {{"object", "o1b"}}, {{"a.h", "h1"}}, 8));  // replaces the h1 result
  std::vector<ActionResult> results = cache.Results(key);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].deps[0].hash, "h1");
  EXPECT_EQ(results[0].outputs[0].sha256, ContentDigest("o1b"));
  EXPECT_EQ(results[1].deps[0].hash, "h2");
}

TEST_F(ActionCacheTest, LocalMissIsServedByTheRemoteAndKept) {
  MemoryRemote remote;
  std::string key = Key("e");
  {
    ActionCache first(dir_ + "/first", &remote);
    ASSERT_TRUE(first.Store(key, {{"bundle", "signed bundle"}, {"report", "{}"}}));
    EXPECT_TRUE(remote.ac.empty());  // queued until the flush
    first.Flush(1ull << 30);
  }
  ASSERT_EQ(remote.ac.count(key), 1u);
  EXPECT_EQ(remote.cas.size(), 2u);

  ActionCache second(dir_ + "/second", &remote);
  int batches = remote.get_batches;
  std::optional<ActionResult> found = second.Lookup(StepKind::kBundle, key, "bundle");
  ASSERT_TRUE(found);
  EXPECT_EQ(remote.get_batches - batches, 2);  // the entry, then both blobs at once
  EXPECT_EQ(*ReadFile(second.BlobPath(found->Find("bundle")->sha256)), "signed bundle");
  // Now local: the remote is not asked again.
  batches = remote.get_batches;
  EXPECT_TRUE(second.Lookup(StepKind::kBundle, key, "bundle"));
  EXPECT_EQ(remote.get_batches, batches);
}

TEST_F(ActionCacheTest, WrongContentFromTheRemoteIsNotKept) {
  MemoryRemote remote;
  std::string key = Key("f");
  {
    ActionCache first(dir_ + "/first", &remote);
    ASSERT_TRUE(first.Store(key, {{"out", "right"}}));
    first.Flush(1ull << 30);
  }
  remote.cas[ContentDigest("right")] = "wrong";
  ActionCache second(dir_ + "/second", &remote);
  std::vector<std::string> warnings;
  second.SetWarn([&](const std::string& w) { warnings.push_back(w); });
  EXPECT_FALSE(second.Lookup(StepKind::kLink, key, "link"));
  EXPECT_FALSE(fs::exists(second.BlobPath(ContentDigest("right"))));
  EXPECT_EQ(warnings.size(), 1u);
}

TEST_F(ActionCacheTest, EvictionRemovesTheLeastRecentlyUsed) {
  ActionCache cache(dir_);
  std::vector<std::string> keys;
  for (int i = 0; i < 4; ++i) {
    keys.push_back(Key("g" + std::to_string(i)));
    ASSERT_TRUE(cache.Store(keys.back(), {{"out", std::string(10000, static_cast<char>('a' + i))}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The first is used again: it is the newest now.
  ActionCache later(dir_);
  ASSERT_TRUE(later.Lookup(StepKind::kCompile, keys[0], "compile"));
  uint64_t before = MeasureCache(dir_).bytes;
  Result<uint64_t> evicted = EvictToSize(dir_, before - 15000);
  ASSERT_TRUE(evicted);
  EXPECT_GE(*evicted, 2u);
  EXPECT_LE(MeasureCache(dir_).bytes, before - 15000);
  ActionCache after(dir_);
  EXPECT_TRUE(after.Lookup(StepKind::kCompile, keys[0], "compile"));
  EXPECT_TRUE(after.Lookup(StepKind::kCompile, keys[3], "compile"));
  EXPECT_FALSE(after.Lookup(StepKind::kCompile, keys[1], "compile"));
}

TEST_F(ActionCacheTest, FlushAddsCountersToTheStatistics) {
  {
    ActionCache cache(dir_);
    ASSERT_TRUE(cache.Store(Key("h"), {{"out", "12345"}}));
    EXPECT_TRUE(cache.Lookup(StepKind::kAot, Key("h"), "aot"));
    EXPECT_FALSE(cache.Lookup(StepKind::kAot, Key("i"), "aot"));
    cache.Flush(1ull << 30);
    cache.Flush(1ull << 30);  // counters are added once
  }
  CacheCounters stats = ReadCacheStats(dir_);
  EXPECT_EQ(stats.hits[static_cast<size_t>(StepKind::kAot)], 1u);
  EXPECT_EQ(stats.misses[static_cast<size_t>(StepKind::kAot)], 1u);
  EXPECT_EQ(stats.stored_bytes, 5u);
  CacheUsage usage = MeasureCache(dir_);
  EXPECT_EQ(usage.entries, 1u);
  EXPECT_EQ(usage.blobs, 1u);
  ASSERT_TRUE(ClearCache(dir_));
  EXPECT_EQ(MeasureCache(dir_).bytes, 0u);
  EXPECT_EQ(ReadCacheStats(dir_).hits[static_cast<size_t>(StepKind::kAot)], 0u);
}

TEST_F(ActionCacheTest, UnwritableCacheWarnsOnceAndStoresNothing) {
  // Read-only for everyone, root included: the cache's place is a file.
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/ro", "not a directory"));
  ActionCache cache(dir_ + "/ro/cache");
  std::vector<std::string> warnings;
  cache.SetWarn([&](const std::string& w) { warnings.push_back(w); });
  EXPECT_FALSE(cache.Store(Key("j"), {{"out", "x"}}));
  EXPECT_FALSE(cache.Store(Key("k"), {{"out", "y"}}));
  EXPECT_FALSE(cache.writable());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("without caching"), std::string::npos);
  cache.Flush(1ull << 30);  // no error, nothing written
}

TEST_F(ActionCacheTest, TwoProcessesStoringOneActionLeaveOneWholeEntry) {
  std::string key = Key("l");
  std::string big(1 << 20, 'z');
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ActionCache cache(dir_);
      for (int i = 0; i < 20; ++i) {
        if (!cache.Store(key, {{"out", big}}, {{"dep.h", std::to_string(i % 3)}}, 8)) ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  ActionCache cache(dir_);
  std::optional<ActionResult> found = cache.Lookup(StepKind::kCompile, key, "compile");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->outputs[0].size, big.size());
  EXPECT_EQ(cache.counters().corrupt, 0u);
}

}  // namespace
}  // namespace ws
