// The threads variant in the interp engine (docs/host-abi.md, "Threads
// variant"): the engine's shared memory and spawn_worker, workers that take
// turns with the called thread, atomics wait/notify, deadlocks, worker
// traps, the memory cap and determinism.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "device-host/engine/engine.h"
#include "device-host/engine/engine_test_util.h"

namespace ws::host {
namespace {

using testing::Wat;

// Memory layout: 0 counter · 16 gate · 20 sleeper done · 32 log length ·
// 40 start count · 44 _initialize count · 64.. log · 1024 never notified.
// ws_worker_main(arg): arg >= 200 logging sleeper, >= 100 adder (arg - 100
// is its id), 2 sleeper, 3 crasher, 4 grower, 5 spinner.
constexpr std::string_view kThreadsModule = R"wat(
(module
  (import "env" "memory" (memory 1 4 shared))
  (import "ws_host" "spawn_worker" (func $spawn (param i32) (result i32)))
  (import "env" "note" (func $note (param i32)))
  (start $on_start)
  (func $on_start (drop (i32.atomic.rmw.add (i32.const 40) (i32.const 1))))
  (func (export "_initialize") (drop (i32.atomic.rmw.add (i32.const 44) (i32.const 1))))

  (func $burn (export "burn") (param $n i32) (local $i i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again))))

  (func $log (param $id i32) (local $slot i32)
    (local.set $slot (i32.atomic.rmw.add (i32.const 32) (i32.const 1)))
    (i32.atomic.store (i32.add (i32.const 64) (i32.shl (local.get $slot) (i32.const 2))) (local.get $id)))

  (func $adder (param $id i32)
    (call $burn (i32.mul (local.get $id) (i32.const 300)))
    (call $log (local.get $id))
    (call $note (local.get $id))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func $logging_sleeper (param $id i32)
    (call $burn (i32.mul (i32.sub (i32.const 3) (local.get $id)) (i32.const 2000)))
    (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1)))
    (call $log (local.get $id)))

  (func (export "ws_worker_main") (param $arg i32)
    (if (i32.ge_u (local.get $arg) (i32.const 200))
      (then (call $logging_sleeper (i32.sub (local.get $arg) (i32.const 200))) (return)))
    (if (i32.ge_u (local.get $arg) (i32.const 100))
      (then (call $adder (i32.sub (local.get $arg) (i32.const 100))) (return)))
    (if (i32.eq (local.get $arg) (i32.const 2))
      (then
        (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1)))
        (i32.atomic.store (i32.const 20) (i32.const 1))
        (return)))
    (if (i32.eq (local.get $arg) (i32.const 3)) (then (call $burn (i32.const 50)) (unreachable)))
    (if (i32.eq (local.get $arg) (i32.const 4))
      (then (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then (unreachable))) (return)))
    (if (i32.eq (local.get $arg) (i32.const 5)) (then (loop $forever (br $forever)))))

  (func (export "spawn") (param i32) (result i32) (call $spawn (local.get 0)))

  ;; Spawns n adders, then waits until all n have counted.
  (func (export "spawn_adders") (param $n i32) (result i32) (local $i i32) (local $seen i32)
    (block $spawned
      (loop $next
        (br_if $spawned (i32.ge_u (local.get $i) (local.get $n)))
        (if (call $spawn (i32.add (i32.const 100) (local.get $i))) (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (block $all
      (loop $wait
        (local.set $seen (i32.atomic.load (i32.const 0)))
        (br_if $all (i32.ge_u (local.get $seen) (local.get $n)))
        (drop (memory.atomic.wait32 (i32.const 0) (local.get $seen) (i64.const -1)))
        (br $wait)))
    (i32.atomic.load (i32.const 0)))

  (func (export "open_gate") (result i32)
    (i32.atomic.store (i32.const 16) (i32.const 1))
    (memory.atomic.notify (i32.const 16) (i32.const 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "cas") (param i32 i32 i32) (result i32)
    (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fenced") (result i32) (atomic.fence) (i32.const 1))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_or_abort") (param i32)
    (if (i32.eq (memory.grow (local.get 0)) (i32.const -1)) (then (unreachable))))
  (func (export "wait_forever") (result i32)
    (memory.atomic.wait32 (i32.const 1024) (i32.const 0) (i64.const -1)))
)
)wat";

const std::vector<uint8_t>& ThreadsModule() {
  static const std::vector<uint8_t> bytes = Wat(kThreadsModule);
  return bytes;
}

Value I32(int32_t v) { return Value::I32(v); }
Value I64(int64_t v) { return Value::I64(v); }

// The host side: `note` records what workers pass it; a spawn_worker the
// engine must ignore for the threads variant records that it was called.
struct Host {
  std::vector<int32_t> notes;
  std::vector<size_t> note_memory_sizes;
  int spawn_calls = 0;
  bool reenter = false;  // `note` calls back into the instance

  std::vector<HostImport> Imports(bool with_spawn) {
    std::vector<HostImport> imports;
    imports.push_back({"env",
                       "note",
                       {ValueType::kI32},
                       {},
                       [this](Instance& instance, std::span<const Value> args, std::span<Value>) {
                         notes.push_back(args[0].i32);
                         note_memory_sizes.push_back(instance.Memory().size());
                         if (reenter && instance.Call("burn", std::vector<Value>{Value::I32(3000)}).trapped) {
                           return HostOutcome::Fail(TrapKind::kHost, "burn trapped");
                         }
                         return HostOutcome::Ok();
                       }});
    if (with_spawn) {
      imports.push_back({"ws_host",
                         "spawn_worker",
                         {ValueType::kI32},
                         {ValueType::kI32},
                         [this](Instance&, std::span<const Value>, std::span<Value> results) {
                           ++spawn_calls;
                           results[0] = Value::I32(42);
                           return HostOutcome::Ok();
                         }});
    }
    return imports;
  }
};

class ThreadsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Instance> Load(EngineOptions options = {}, bool with_spawn = false) {
    Result<std::unique_ptr<Instance>> instance =
        MakeInterpEngine()->Instantiate(ThreadsModule(), host_.Imports(with_spawn), options);
    EXPECT_TRUE(instance) << (instance ? "" : instance.error().message);
    return instance ? std::move(*instance) : nullptr;
  }

  // The i32 result of a call that must not trap.
  static int32_t Int(Instance& instance, const std::string& name, std::vector<Value> args = {}) {
    CallOutcome outcome = instance.Call(name, args);
    EXPECT_FALSE(outcome.trapped) << name << ": " << outcome.trap.message;
    return outcome.trapped || outcome.results.empty() ? INT32_MIN : outcome.results[0].i32;
  }

  // Gives the workers turns: they only run while some call runs.
  static void Burn(Instance& instance, int32_t loops = 20000) {
    EXPECT_FALSE(instance.Call("burn", std::vector<Value>{I32(loops)}).trapped);
  }

  static std::vector<int32_t> Log(Instance& instance) {
    std::vector<int32_t> log(static_cast<size_t>(Int(instance, "load", {I32(32)})));
    for (size_t i = 0; i < log.size(); ++i) {
      log[i] = Int(instance, "load", {I32(64 + 4 * static_cast<int32_t>(i))});
    }
    return log;
  }

  Host host_;
};

TEST_F(ThreadsTest, WorkersCountAndMainWaitsForThem) {
  ASSERT_FALSE(ThreadsModule().empty());
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->Memory().size(), 65536u);
  EXPECT_EQ(Int(*instance, "load", {I32(40)}), 1);  // the start function ran once
  uint64_t before = instance->InstructionsExecuted();
  EXPECT_EQ(Int(*instance, "spawn_adders", {I32(6)}), 6);
  // Worker k burns k * 300 loops: all of their instructions count.
  EXPECT_GT(instance->InstructionsExecuted() - before, 15u * 300u * 4u);
  EXPECT_EQ(host_.notes.size(), 6u);
  for (size_t size : host_.note_memory_sizes) EXPECT_EQ(size, 65536u);  // the main instance's memory
  EXPECT_EQ(Log(*instance), (std::vector<int32_t>{0, 1, 2, 3, 4, 5}));
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "load", {I32(40)}), 7);  // each worker ran the start function
  EXPECT_EQ(Int(*instance, "load", {I32(44)}), 0);  // never _initialize
  EXPECT_EQ(Int(*instance, "cas", {I32(0), I32(6), I32(60)}), 6);
  EXPECT_EQ(Int(*instance, "cas", {I32(0), I32(6), I32(70)}), 60);
  EXPECT_EQ(Int(*instance, "fenced"), 1);
  EXPECT_EQ(host_.spawn_calls, 0);
}

TEST_F(ThreadsTest, BlockedWorkerOutlivesCallsUntilNotified) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn", {I32(2)}), 0);
  Burn(*instance);  // the worker reaches its wait
  EXPECT_EQ(Int(*instance, "load", {I32(20)}), 0);
  Burn(*instance);
  // Everything else blocked forever, main's timed wait times out.
  EXPECT_EQ(Int(*instance, "wait32", {I32(1024), I32(0), I64(1'000'000)}), 2);
  EXPECT_EQ(Int(*instance, "open_gate"), 1);        // woke the worker
  EXPECT_EQ(Int(*instance, "load", {I32(20)}), 0);  // which has not run since
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "load", {I32(20)}), 1);
  EXPECT_EQ(Int(*instance, "open_gate"), 0);  // nobody left waiting
}

TEST_F(ThreadsTest, NotifyWakesWaitersInTheOrderTheyWaited) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  // Sleeper k works (3 - k) * 2000 loops first: they wait as 2, 1, 0.
  for (int32_t id = 0; id < 3; ++id) EXPECT_EQ(Int(*instance, "spawn", {I32(200 + id)}), 0);
  Burn(*instance, 60000);
  // One at a time: woken together, they would run in spawn order.
  EXPECT_EQ(Int(*instance, "notify", {I32(16), I32(1)}), 1);
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "notify", {I32(16), I32(1)}), 1);
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "notify", {I32(16), I32(5)}), 1);  // only one left
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "notify", {I32(16), I32(1)}), 0);
  EXPECT_EQ(Log(*instance), (std::vector<int32_t>{2, 1, 0}));
}

TEST_F(ThreadsTest, WaitResultsAndDeadlock) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "wait32", {I32(1024), I32(5), I64(-1)}), 1);  // not equal
  EXPECT_EQ(Int(*instance, "wait64", {I32(1024), I64(5), I64(-1)}), 1);
  EXPECT_EQ(Int(*instance, "wait32", {I32(1024), I32(0), I64(0)}), 2);
  EXPECT_EQ(Int(*instance, "wait32", {I32(1024), I32(0), I64(5'000'000'000)}), 2);  // nobody notifies
  EXPECT_EQ(Int(*instance, "wait64", {I32(1024), I64(0), I64(7)}), 2);
  EXPECT_EQ(Int(*instance, "notify", {I32(1024), I32(3)}), 0);

  CallOutcome deadlock = instance->Call("wait_forever", {});
  ASSERT_TRUE(deadlock.trapped);
  EXPECT_EQ(deadlock.trap.kind, TrapKind::kWatchdog);
  EXPECT_NE(deadlock.trap.message.find("deadlock: every thread is waiting"), std::string::npos)
      << deadlock.trap.message;
  EXPECT_FALSE(deadlock.trap.stack.empty());
  EXPECT_EQ(Int(*instance, "notify", {I32(1024), I32(3)}), 0);  // the dead call left no waiter
  EXPECT_EQ(Int(*instance, "load", {I32(0)}), 0);

  CallOutcome unaligned = instance->Call("wait32", std::vector<Value>{I32(2), I32(0), I64(-1)});
  ASSERT_TRUE(unaligned.trapped);
  EXPECT_NE(unaligned.trap.message.find("unaligned"), std::string::npos) << unaligned.trap.message;
  CallOutcome outside = instance->Call("notify", std::vector<Value>{I32(65536), I32(1)});
  ASSERT_TRUE(outside.trapped);
  EXPECT_EQ(outside.trap.kind, TrapKind::kOutOfBounds) << outside.trap.message;
}

TEST_F(ThreadsTest, WorkerDeadlockedWithMainTraps) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn", {I32(2)}), 0);
  CallOutcome deadlock = instance->Call("wait_forever", {});
  ASSERT_TRUE(deadlock.trapped);
  EXPECT_NE(deadlock.trap.message.find("deadlock"), std::string::npos) << deadlock.trap.message;
  EXPECT_EQ(Int(*instance, "open_gate"), 1);  // the worker still waits and survives the trap
}

TEST_F(ThreadsTest, WorkerTrapIsTheCallsTrap) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn", {I32(3)}), 0);
  CallOutcome outcome = instance->Call("burn", std::vector<Value>{I32(20000)});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kUnreachable);
  EXPECT_NE(outcome.trap.message.find("in a worker"), std::string::npos) << outcome.trap.message;
  ASSERT_EQ(outcome.trap.stack.size(), 1u);
  EXPECT_EQ(outcome.trap.stack[0], 8u);  // ws_worker_main, counting the 2 imports
  Burn(*instance);                       // the worker is gone
  EXPECT_EQ(Int(*instance, "spawn_adders", {I32(2)}), 2);
}

TEST_F(ThreadsTest, SameCallsSameMemoryAndInstructions) {
  auto run = [this](std::vector<uint8_t>* memory) {
    std::unique_ptr<Instance> instance = Load();
    if (!instance) return uint64_t{0};
    EXPECT_EQ(Int(*instance, "spawn", {I32(2)}), 0);
    EXPECT_EQ(Int(*instance, "spawn_adders", {I32(8)}), 8);  // the sleeper does not count
    EXPECT_EQ(Int(*instance, "open_gate"), 1);
    EXPECT_EQ(Int(*instance, "wait32", {I32(1024), I32(0), I64(100)}), 2);
    std::span<uint8_t> bytes = instance->Memory();
    memory->assign(bytes.begin(), bytes.end());
    return instance->InstructionsExecuted();
  };
  std::vector<uint8_t> first;
  std::vector<uint8_t> second;
  uint64_t first_count = run(&first);
  uint64_t second_count = run(&second);
  EXPECT_GT(first_count, 0u);
  EXPECT_EQ(first_count, second_count);
  EXPECT_TRUE(first == second);
}

TEST_F(ThreadsTest, MemoryCapAppliesToSharedMemory) {
  EngineOptions options;
  options.max_memory_bytes = 2 * 65536;
  std::unique_ptr<Instance> instance = Load(options);
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "grow", {I32(1)}), 1);
  EXPECT_EQ(Int(*instance, "grow", {I32(1)}), -1);  // the module allows 4 pages, the device 2
  EXPECT_EQ(instance->Memory().size(), 2u * 65536u);
  CallOutcome outcome = instance->Call("grow_or_abort", std::vector<Value>{I32(1)});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kMemoryLimit) << outcome.trap.message;

  EXPECT_EQ(Int(*instance, "spawn", {I32(4)}), 0);  // a worker growing beyond the cap
  CallOutcome in_worker = instance->Call("burn", std::vector<Value>{I32(20000)});
  ASSERT_TRUE(in_worker.trapped);
  EXPECT_EQ(in_worker.trap.kind, TrapKind::kMemoryLimit) << in_worker.trap.message;
  EXPECT_NE(in_worker.trap.message.find("in a worker"), std::string::npos) << in_worker.trap.message;

  options.max_memory_bytes = 65536 / 2;  // less than the import's minimum
  Result<std::unique_ptr<Instance>> too_small =
      MakeInterpEngine()->Instantiate(ThreadsModule(), host_.Imports(false), options);
  EXPECT_FALSE(too_small);
}

TEST_F(ThreadsTest, BudgetCountsWorkerInstructions) {
  EngineOptions options;
  options.instruction_budget = 50000;
  std::unique_ptr<Instance> instance = Load(options);
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn", {I32(5)}), 0);  // spins forever
  uint64_t before = instance->InstructionsExecuted();
  CallOutcome outcome = instance->Call("wait_forever", {});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kWatchdog);
  EXPECT_NE(outcome.trap.message.find("ran more than 50000 instructions"), std::string::npos)
      << outcome.trap.message;
  EXPECT_EQ(instance->InstructionsExecuted() - before, 50000u);
}

// A worker's host call calls back in: the nested call runs with the other
// workers, never with the one inside the host call.
TEST_F(ThreadsTest, HostCallFromWorkerMayCallBackIn) {
  host_.reenter = true;
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn_adders", {I32(4)}), 4);
  EXPECT_EQ(host_.notes.size(), 4u);
  EXPECT_EQ(Log(*instance).size(), 4u);
}

TEST_F(ThreadsTest, WorkerLimit) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(Int(*instance, "spawn", {I32(2)}), 0) << i;
  EXPECT_NE(Int(*instance, "spawn", {I32(2)}), 0);
  Burn(*instance);
  // The gate stays open: each woken sleeper ends, and its place frees up.
  EXPECT_EQ(Int(*instance, "notify", {I32(16), I32(100)}), 16);
  Burn(*instance);
  EXPECT_EQ(Int(*instance, "spawn", {I32(2)}), 0);
}

TEST_F(ThreadsTest, HostSpawnWorkerIgnoredForThreadsVariant) {
  std::unique_ptr<Instance> instance = Load({}, /*with_spawn=*/true);
  ASSERT_TRUE(instance);
  EXPECT_EQ(Int(*instance, "spawn_adders", {I32(2)}), 2);
  EXPECT_EQ(host_.spawn_calls, 0);
}

TEST_F(ThreadsTest, NoWorkerMainMeansNoWorkers) {
  std::vector<uint8_t> wasm = Wat(R"wat(
    (module
      (import "env" "memory" (memory 1 2 shared))
      (import "ws_host" "spawn_worker" (func $spawn (param i32) (result i32)))
      (func (export "spawn") (param i32) (result i32) (call $spawn (local.get 0))))
  )wat");
  Result<std::unique_ptr<Instance>> instance = MakeInterpEngine()->Instantiate(wasm, {}, {});
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_NE(Int(**instance, "spawn", {I32(1)}), 0);
}

TEST_F(ThreadsTest, UnsharedMemoryKeepsTheHostsSpawnWorker) {
  std::vector<uint8_t> wasm = Wat(R"wat(
    (module
      (import "ws_host" "spawn_worker" (func $spawn (param i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "ws_worker_main") (param i32))
      (func (export "spawn") (param i32) (result i32) (call $spawn (local.get 0))))
  )wat");
  Result<std::unique_ptr<Instance>> instance =
      MakeInterpEngine()->Instantiate(wasm, host_.Imports(/*with_spawn=*/true), {});
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ(Int(**instance, "spawn", {I32(7)}), 42);
  EXPECT_EQ(host_.spawn_calls, 1);

  // And without one, it is missing like any other import.
  Result<std::unique_ptr<Instance>> missing = MakeInterpEngine()->Instantiate(wasm, host_.Imports(false), {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("ws_host.spawn_worker"), std::string::npos);
}

// An unshared env.memory is the engine's too, but without workers.
TEST_F(ThreadsTest, UnsharedImportedMemory) {
  std::vector<uint8_t> wasm = Wat(R"wat(
    (module
      (import "env" "memory" (memory 1))
      (import "ws_host" "spawn_worker" (func $spawn (param i32) (result i32)))
      (func (export "ws_worker_main") (param i32))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "spawn") (param i32) (result i32) (call $spawn (local.get 0))))
  )wat");
  Result<std::unique_ptr<Instance>> instance =
      MakeInterpEngine()->Instantiate(wasm, host_.Imports(/*with_spawn=*/true), {});
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ((*instance)->Memory().size(), 65536u);
  EXPECT_EQ(Int(**instance, "grow", {I32(2)}), 1);
  EXPECT_EQ((*instance)->Memory().size(), 3u * 65536u);
  EXPECT_EQ(Int(**instance, "spawn", {I32(7)}), 42);
  EXPECT_EQ(host_.spawn_calls, 1);
}

TEST_F(ThreadsTest, AotRefusesThreads) {
  testing::TempDir cache;
  EngineOptions options;
  options.cache_dir = cache.path();
  Result<std::unique_ptr<Instance>> instance =
      MakeAotEngine()->Instantiate(ThreadsModule(), host_.Imports(true), options);
  ASSERT_FALSE(instance);
  EXPECT_NE(instance.error().message.find("threads"), std::string::npos) << instance.error().message;
}

}  // namespace
}  // namespace ws::host
