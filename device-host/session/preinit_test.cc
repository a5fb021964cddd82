#include "device-host/preinit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "device-host/engine/engine.h"
#include "host-abi/host_abi.h"
#include "wasm-binary/test_wat.h"

namespace ws::host {
namespace {

// An app whose start-up ends in `preinit_body`; `ctor_body` runs in _initialize.
std::vector<uint8_t> App(const std::string& ctor_body, const std::string& preinit_body) {
  return wasm::testing::Wat(R"((module
  (import "ws_host" "fetch" (func $fetch (param i32 i32) (result i32)))
  (import "ws_host" "now_ms" (func $now_ms (result f64)))
  (import "ws_host" "measure_text" (func $measure_text (param i32 i32 f32) (result i64)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 1024))
  (global $state (mut i32) (i32.const 0))
  (data (i32.const 16) "catalog.json")
  (func $start_clock (global.set $state (i32.trunc_f64_s (call $now_ms))))
  (func $load_catalog (drop (call $fetch (i32.const 16) (i32.const 12))))
  (func $ctor (export "_initialize")
    (global.set $state (i32.const 7))
    (i32.store (i32.const 2000) (i32.const 42))
    )" + ctor_body + R"()
  (func (export "ws_preinit") (param i32 i32) (result i32)
    (global.set $state (i32.const 9))
    (i64.store (i32.const 3000) (call $measure_text (i32.const 16) (i32.const 7) (f32.const 20)))
    )" + preinit_body + R"(
    (i32.const 0))
  (func (export "ws_init") (param i32 i32) (result i32) (global.get $state)))
)");
}

TEST(Preinit, SnapshotsMemoryAndGlobalsAfterWsPreinit) {
  std::vector<uint8_t> wasm = App("", "");
  ASSERT_FALSE(wasm.empty());
  Result<PreinitResult> ran = Preinitialize(wasm, {});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_FALSE(ran->stopped);
  ASSERT_TRUE(ran->snapshot);
  EXPECT_EQ(ran->snapshot_after, "ws_preinit");
  EXPECT_GT(ran->instructions, 0u);
  EXPECT_EQ(ran->snapshot->memory[2000], 42);
  EXPECT_NE(ran->snapshot->memory[3004], 0);  // measure_text's height: the host's font answered
  ASSERT_EQ(ran->snapshot->globals.size(), 2u);
  EXPECT_EQ(ran->snapshot->globals[1].bits, 9u);

  // A device starts from the snapshot: _initialize does nothing now, and
  // the state is there before any call.
  Result<std::vector<uint8_t>> written = wasm::WriteSnapshot(wasm, *ran->snapshot);
  ASSERT_TRUE(written) << written.error().message;
  std::vector<HostImport> imports;
  auto none = [](Instance&, std::span<const Value>, std::span<Value>) {
    return HostOutcome::Fail(TrapKind::kHost, "not called");
  };
  imports.push_back({"ws_host", "fetch", {ValueType::kI32, ValueType::kI32}, {ValueType::kI32}, none});
  imports.push_back({"ws_host", "now_ms", {}, {ValueType::kF64}, none});
  imports.push_back({"ws_host", "measure_text", {ValueType::kI32, ValueType::kI32, ValueType::kF32},
                     {ValueType::kI64}, none});
  Result<std::unique_ptr<Instance>> device = MakeInterpEngine()->Instantiate(*written, imports, {});
  ASSERT_TRUE(device) << device.error().message;
  EXPECT_FALSE((*device)->Call("_initialize", {}).trapped);
  Value size[2] = {Value::I32(1280), Value::I32(720)};
  CallOutcome init = (*device)->Call("ws_init", size);
  ASSERT_FALSE(init.trapped) << init.trap.message;
  EXPECT_EQ(init.results[0].i32, 9);  // ws_preinit's state, not _initialize's 7 again
  EXPECT_EQ((*device)->Memory()[2000], 42);
}

TEST(Preinit, AFetchInWsPreinitKeepsTheSnapshotOfTheConstructorsAndSaysWhere) {
  Result<PreinitResult> ran = Preinitialize(App("", "(call $load_catalog)"), {});
  ASSERT_TRUE(ran) << ran.error().message;
  ASSERT_TRUE(ran->stopped);
  EXPECT_EQ(ran->stopped->stage, "ws_preinit");
  EXPECT_EQ(ran->stopped->import, "ws_host.fetch");
  EXPECT_NE(ran->stopped->why.find("network"), std::string::npos) << ran->stopped->why;
  ASSERT_FALSE(ran->stopped->stack.empty());
  EXPECT_EQ(ran->stopped->stack[0], "load_catalog");
  ASSERT_TRUE(ran->snapshot);
  EXPECT_EQ(ran->snapshot_after, "_initialize");
  EXPECT_EQ(ran->snapshot->globals[1].bits, 7u);  // before ws_preinit began
}

TEST(Preinit, TheClockInAConstructorMeansNoSnapshot) {
  Result<PreinitResult> ran = Preinitialize(App("(call $start_clock)", ""), {});
  ASSERT_TRUE(ran) << ran.error().message;
  ASSERT_TRUE(ran->stopped);
  EXPECT_EQ(ran->stopped->stage, "_initialize");
  EXPECT_EQ(ran->stopped->import, "ws_host.now_ms");
  ASSERT_GE(ran->stopped->stack.size(), 2u);
  EXPECT_EQ(ran->stopped->stack[0], "start_clock");
  EXPECT_EQ(ran->stopped->stack[1], "ctor");
  EXPECT_FALSE(ran->snapshot);
}

// Build-time fetches (host_abi.h, ws_preinit): an app that fetches
// catalog.json as ws::fetch does during ws_preinit (the deferrable flag on
// the length), and a.json too; ws_preinit returns kPreinitFetching until
// ws_fetch_done has brought the first one.
std::vector<uint8_t> FetchingApp() {
  return wasm::testing::Wat(R"((module
  (import "ws_host" "fetch" (func $fetch (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (global $catalog (mut i32) (i32.const 0))
  (global $other (mut i32) (i32.const 0))
  (global $done (mut i32) (i32.const 0))
  (data (i32.const 16) "catalog.json")
  (data (i32.const 32) "a.json")
  (func (export "_initialize"))
  (func (export "ws_alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "ws_fetch_done") (param i32 i32 i32 i32)
    (if (i32.eq (local.get 0) (global.get $catalog)) (then (global.set $done (local.get 3)))))
  (func (export "ws_preinit") (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (i32.eq (global.get $calls) (i32.const 1)) (then
      (global.set $catalog (call $fetch (i32.const 16) (i32.const 0x8000000c)))
      (global.set $other (call $fetch (i32.const 32) (i32.const 0x80000006)))))
    (if (result i32) (global.get $done) (then (i32.const 0)) (else (i32.const 1))))
  (func (export "ws_init") (param i32 i32) (result i32) (i32.const 0)))
)");
}

TEST(Preinit, AListedAssetIsAnsweredAfterWsPreinitReturnsAndTheOthersAreDeferred) {
  std::filesystem::path assets = std::filesystem::path(::testing::TempDir()) /
                                 ("ws_preinit_assets_" + std::to_string(::getpid()));
  std::filesystem::create_directories(assets);
  std::ofstream(assets / "catalog.json") << "{\"rails\": []}";
  std::ofstream(assets / "a.json") << "{}";
  PreinitOptions options;
  options.assets_dir = assets.string();
  options.fetchable = {"catalog.json"};
  Result<PreinitResult> ran = Preinitialize(FetchingApp(), options);
  std::filesystem::remove_all(assets);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_FALSE(ran->stopped) << ran->stopped->why;
  ASSERT_TRUE(ran->snapshot);
  EXPECT_EQ(ran->snapshot_after, "ws_preinit");
  EXPECT_EQ(ran->rounds, 2u);
  EXPECT_EQ(ran->fetched, std::vector<std::string>{"catalog.json"});
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&ran->snapshot->memory[4096]), 13), "{\"rails\": []}");
  EXPECT_GT(ran->snapshot->globals[1].bits, 0u);                                                 // catalog's request
  EXPECT_EQ(static_cast<int32_t>(ran->snapshot->globals[2].bits), host_abi::kFetchPreinitDeferred);  // a.json's
  EXPECT_EQ(ran->snapshot->globals[3].bits, 13u);                                                // its length
}

TEST(Preinit, WithoutTheListTheFetchIsDeferredAndAnAppThatWaitsForeverIsStopped) {
  PreinitOptions options;
  options.max_rounds = 5;
  Result<PreinitResult> ran = Preinitialize(FetchingApp(), options);
  ASSERT_TRUE(ran) << ran.error().message;
  ASSERT_TRUE(ran->stopped);  // it waits for catalog.json, which the build does not answer
  EXPECT_EQ(ran->stopped->stage, "ws_preinit");
  EXPECT_NE(ran->stopped->why.find("after 5 deliveries"), std::string::npos) << ran->stopped->why;
  EXPECT_EQ(ran->snapshot_after, "_initialize");
}

}  // namespace
}  // namespace ws::host
