#include "device-host/preinit.h"

#include <gtest/gtest.h>

#include "device-host/engine/engine.h"
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

}  // namespace
}  // namespace ws::host
