// What only the aot engine does: refuse what wasm2c 1.0.32 cannot run,
// cache compiled modules on disk, and keep its watchdog away from host code.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "device-host/engine/engine.h"
#include "device-host/engine/engine_test_util.h"

namespace ws::host {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::Wat;

constexpr std::string_view kSmallModule = R"((module
  (import "env" "nap" (func $nap (param i32)))
  (memory (export "memory") 1)
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "nap_then_spin") (param i32) (call $nap (local.get 0)) (loop $l (br $l)))
  (func (export "nap") (param i32) (call $nap (local.get 0)))
  (func $down (export "down") (param i32) (result i32)
    (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))))";

std::vector<HostImport> NapImport(bool* finished) {
  return {{"env",
           "nap",
           {ValueType::kI32},
           {},
           [finished](Instance&, std::span<const Value> args, std::span<Value>) {
             std::this_thread::sleep_for(std::chrono::milliseconds(args[0].i32));
             *finished = true;
             return HostOutcome::Ok();
           }}};
}

// The compiled modules: blobs of the action cache (action-cache/).
std::vector<fs::path> CachedObjects(const std::string& cache_dir) {
  std::vector<fs::path> objects;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(cache_dir + "/cas", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) objects.push_back(it->path());
  }
  return objects;
}

ino_t Inode(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_ino;
}

Result<std::unique_ptr<Instance>> LoadSmall(const std::string& cache_dir, bool* finished,
                                            uint32_t watchdog_ms = 0) {
  EngineOptions options;
  options.cache_dir = cache_dir;
  options.watchdog_ms = watchdog_ms;
  return MakeAotEngine()->Instantiate(Wat(kSmallModule), NapImport(finished), options);
}

TEST(AotEngineTest, RefusesSimdBeforeRunningWasm2c) {
  TempDir cache;
  std::vector<uint8_t> wasm = Wat(R"((module
    (func (export "lane") (result i32) (i32x4.extract_lane 2 (v128.const i32x4 1 2 3 4)))))");
  EngineOptions options;
  options.cache_dir = cache.path();
  Result<std::unique_ptr<Instance>> result = MakeAotEngine()->Instantiate(wasm, {}, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "the aot engine (wasm2c 1.0.32) cannot run this module: it uses SIMD instructions; "
            "run it with --engine interp");
  EXPECT_TRUE(CachedObjects(cache.path()).empty());
}

TEST(AotEngineTest, RefusesThreads) {
  std::vector<uint8_t> wasm = Wat(R"((module
    (memory 1 1 shared)
    (func (export "bump") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))))");
  Result<std::unique_ptr<Instance>> result = MakeAotEngine()->Instantiate(wasm, {}, {});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("it uses threads"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("--engine interp"), std::string::npos);
}

TEST(AotEngineTest, CompilesOnceAndReusesTheCache) {
  TempDir first;
  bool finished = false;
  auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Instance>> built = LoadSmall(first.path(), &finished);
  auto compile_time = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ((*built)->Call("answer", {}).results.at(0).i32, 42);
  std::vector<fs::path> objects = CachedObjects(first.path());
  ASSERT_EQ(objects.size(), 1u);
  ino_t inode = Inode(objects[0]);
  // No scratch directory is left behind.
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(first.path() + "/aot")) {
    EXPECT_EQ(entry.path().string().find("tmp-"), std::string::npos) << entry.path();
    ++entries;
  }
  EXPECT_LE(entries, 1u);  // the build lock

  start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Instance>> again = LoadSmall(first.path(), &finished);
  ASSERT_TRUE(again);
  EXPECT_LT(std::chrono::steady_clock::now() - start, compile_time);
  EXPECT_EQ(Inode(objects[0]), inode);

  // A copy of the cache, as another process (or machine) would find it, is
  // loaded without compiling: its file is not replaced.
  TempDir second;
  for (const char* area : {"ac", "cas"}) {
    fs::copy(first.path() + "/" + area, second.path() + "/" + area, fs::copy_options::recursive);
  }
  fs::path copy = CachedObjects(second.path()).at(0);
  ino_t copy_inode = Inode(copy);
  Result<std::unique_ptr<Instance>> from_copy = LoadSmall(second.path(), &finished);
  ASSERT_TRUE(from_copy) << from_copy.error().message;
  EXPECT_EQ((*from_copy)->Call("answer", {}).results.at(0).i32, 42);
  EXPECT_EQ(Inode(copy), copy_inode);
}

TEST(AotEngineTest, RebuildsADamagedCacheEntry) {
  TempDir reference;
  bool finished = false;
  ASSERT_TRUE(LoadSmall(reference.path(), &finished));
  fs::path relative = fs::relative(CachedObjects(reference.path()).at(0), reference.path());

  TempDir damaged;
  for (const char* area : {"ac", "cas"}) {
    fs::copy(reference.path() + "/" + area, damaged.path() + "/" + area, fs::copy_options::recursive);
  }
  std::ofstream(fs::path(damaged.path()) / relative, std::ios::trunc) << "not an object";
  Result<std::unique_ptr<Instance>> instance = LoadSmall(damaged.path(), &finished);
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ((*instance)->Call("answer", {}).results.at(0).i32, 42);
  EXPECT_GT(fs::file_size(fs::path(damaged.path()) / relative), 1000u);
}

TEST(AotEngineTest, WatchdogWaitsForARunningHostFunction) {
  TempDir cache;
  bool finished = false;
  Result<std::unique_ptr<Instance>> instance = LoadSmall(cache.path(), &finished, 50);
  ASSERT_TRUE(instance) << instance.error().message;
  // The host function outlives the budget; it is not interrupted, and the
  // watchdog takes effect once wasm runs again.
  std::vector<Value> args = {Value::I32(200)};
  CallOutcome outcome = (*instance)->Call("nap_then_spin", args);
  EXPECT_TRUE(finished);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kWatchdog);
  // A slow host function in a call that then returns is also a timeout.
  finished = false;
  EXPECT_EQ((*instance)->Call("nap", args).trap.kind, TrapKind::kWatchdog);
  EXPECT_TRUE(finished);
  args[0] = Value::I32(1);
  EXPECT_FALSE((*instance)->Call("nap", args).trapped);
  EXPECT_EQ((*instance)->Call("answer", {}).results.at(0).i32, 42);
}

TEST(AotEngineTest, WatchdogWorksOnAnotherThread) {
  TempDir cache;
  bool finished = false;
  Result<std::unique_ptr<Instance>> instance = LoadSmall(cache.path(), &finished, 50);
  ASSERT_TRUE(instance);
  TrapKind kind = TrapKind::kOther;
  std::thread worker([&] {
    std::vector<Value> args = {Value::I32(0)};
    kind = (*instance)->Call("nap_then_spin", args).trap.kind;
  });
  worker.join();
  EXPECT_EQ(kind, TrapKind::kWatchdog);
}

TEST(AotEngineTest, WatchdogIsReliableAndNeverSpurious) {
  TempDir cache;
  bool finished = false;
  Result<std::unique_ptr<Instance>> instance = LoadSmall(cache.path(), &finished, 5);
  ASSERT_TRUE(instance);
  std::vector<Value> no_nap = {Value::I32(0)};
  for (int round = 0; round < 20; ++round) {
    // Many short calls: a stale tick of an earlier timeout never hits them.
    for (int i = 0; i < 200; ++i) ASSERT_FALSE((*instance)->Call("answer", {}).trapped);
    ASSERT_EQ((*instance)->Call("nap_then_spin", no_nap).trap.kind, TrapKind::kWatchdog);
  }
}

// A thread with a small stack still gets a trap, not a crash.
TEST(AotEngineTest, StackExhaustionOnASmallThreadStack) {
  TempDir cache;
  bool finished = false;
  Result<std::unique_ptr<Instance>> instance = LoadSmall(cache.path(), &finished);
  ASSERT_TRUE(instance);
  struct Job {
    Instance* instance;
    TrapKind kind = TrapKind::kOther;
  } job{instance->get()};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 << 10);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    auto* job = static_cast<Job*>(arg);
    std::vector<Value> args = {Value::I32(0)};
    job->kind = job->instance->Call("down", args).trap.kind;
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(job.kind, TrapKind::kStackExhausted);
}

}  // namespace
}  // namespace ws::host
