// Both engines run the same modules and must agree: values, host imports,
// traps (kind, and a stack in interp), the watchdog, the memory cap and
// re-instantiation. The aot engine compiles the main module once for the
// whole suite (a shared cache directory) to keep the suite fast.
#include "device-host/engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "device-host/engine/engine_test_util.h"

namespace ws::host {
namespace {

using testing::TempDir;
using testing::Wat;

constexpr std::string_view kMainModule = R"wat(
(module
  (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
  (import "env" "sum_bytes" (func $sum_bytes (param i32 i32) (result i32)))
  (import "env" "exit" (func $exit (param i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1 100)
  (data (i32.const 16) "\01\02\03\04\05")
  (type $i_i (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $boom)

  (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mul_i64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "div_f32") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "sqrt_f64") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "pair") (param i32) (result i32 f64)
    (local.get 0) (f64.convert_i32_s (local.get 0)))
  (func (export "mix") (param i32 i64 f32 f64) (result f64)
    (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "sum_data") (result i32) (call $sum_bytes (i32.const 16) (i32.const 5)))
  (func $boom (unreachable))
  (func (export "crash") (call $boom))
  (func (export "oob") (result i32) (i32.load (i32.const 0xfffffff0)))
  (func (export "spin") (loop $again (br $again)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_or_abort") (param i32)
    (if (i32.eq (memory.grow (local.get 0)) (i32.const -1)) (then unreachable)))
  (func (export "quit") (param i32) (call $exit (local.get 0)) (unreachable))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "call_slot") (param i32) (result i32)
    (call_indirect (type $i_i) (i32.const 0) (local.get 0)))
  (func (export "outer") (param i32) (result i32)
    (i32.add (call $reenter (local.get 0)) (i32.const 1000)))
  (func (export "count") (param i32) (result i32) (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $i))
)
)wat";

const std::vector<uint8_t>& MainModule() {
  static const std::vector<uint8_t> bytes = Wat(kMainModule);
  return bytes;
}

// The host side of the main module. `exit` traps with kExit like proc_exit.
std::vector<HostImport> MainImports() {
  std::vector<HostImport> imports;
  imports.push_back({"env",
                     "mix",
                     {ValueType::kI32, ValueType::kI64, ValueType::kF32, ValueType::kF64},
                     {ValueType::kF64},
                     [](Instance&, std::span<const Value> args, std::span<Value> results) {
                       if (args[0].i32 == -99) throw std::runtime_error("boom");
                       results[0] = Value::F64(args[0].i32 + static_cast<double>(args[1].i64) + args[2].f32 +
                                               args[3].f64);
                       return HostOutcome::Ok();
                     }});
  imports.push_back({"env",
                     "sum_bytes",
                     {ValueType::kI32, ValueType::kI32},
                     {ValueType::kI32},
                     [](Instance& instance, std::span<const Value> args, std::span<Value> results) {
                       std::span<uint8_t> memory = instance.Memory();
                       int32_t sum = 0;
                       for (int32_t i = 0; i < args[1].i32; ++i) sum += memory[args[0].i32 + i];
                       results[0] = Value::I32(sum);
                       return HostOutcome::Ok();
                     }});
  imports.push_back(
      {"env", "exit", {ValueType::kI32}, {}, [](Instance&, std::span<const Value> args, std::span<Value>) {
         return HostOutcome::Fail(TrapKind::kExit, "proc_exit", args[0].i32);
       }});
  // Calls back into the instance, including a call that traps: the trap
  // stays inside the nested call.
  imports.push_back({"env",
                     "reenter",
                     {ValueType::kI32},
                     {ValueType::kI32},
                     [](Instance& instance, std::span<const Value> args, std::span<Value> results) {
                       if (!instance.Call("crash", {}).trapped) {
                         return HostOutcome::Fail(TrapKind::kHost, "crash did not trap");
                       }
                       std::vector<Value> add = {args[0], Value::I32(1)};
                       CallOutcome sum = instance.Call("add_i32", add);
                       if (sum.trapped) return HostOutcome::Fail(TrapKind::kHost, sum.trap.message);
                       results[0] = sum.results.at(0);
                       return HostOutcome::Ok();
                     }});
  return imports;
}

// One cache directory for the whole suite, so the aot engine compiles the
// main module once.
const std::string& SharedCacheDir() {
  static TempDir dir;
  return dir.path();
}

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool aot() const { return GetParam() == "aot"; }
  std::unique_ptr<Engine> MakeEngine() const { return aot() ? MakeAotEngine() : MakeInterpEngine(); }

  EngineOptions Options() const {
    EngineOptions options;
    options.cache_dir = SharedCacheDir();
    return options;
  }

  std::unique_ptr<Instance> Load(const EngineOptions& options) {
    Result<std::unique_ptr<Instance>> instance =
        MakeEngine()->Instantiate(MainModule(), MainImports(), options);
    EXPECT_TRUE(instance) << (instance ? "" : instance.error().message);
    return instance ? std::move(*instance) : nullptr;
  }
  std::unique_ptr<Instance> Load() { return Load(Options()); }
};

CallOutcome Ok(Instance& instance, const std::string& name, std::vector<Value> args = {}) {
  CallOutcome outcome = instance.Call(name, args);
  EXPECT_FALSE(outcome.trapped) << name << ": " << TrapKindName(outcome.trap.kind) << " "
                                << outcome.trap.message;
  return outcome;
}

TEST_P(EngineTest, PassesAllValueTypes) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Ok(*instance, "add_i32", {Value::I32(40), Value::I32(2)}).results.at(0).i32, 42);
  EXPECT_EQ(Ok(*instance, "add_i32", {Value::I32(-5), Value::I32(2)}).results.at(0).i32, -3);
  EXPECT_EQ(Ok(*instance, "mul_i64", {Value::I64(1LL << 40), Value::I64(-3)}).results.at(0).i64,
            -(3LL << 40));
  EXPECT_FLOAT_EQ(Ok(*instance, "div_f32", {Value::F32(1), Value::F32(4)}).results.at(0).f32, 0.25f);
  CallOutcome root = Ok(*instance, "sqrt_f64", {Value::F64(2)});
  ASSERT_EQ(root.results.size(), 1u);
  EXPECT_EQ(root.results[0].type, ValueType::kF64);
  EXPECT_DOUBLE_EQ(root.results[0].f64, std::sqrt(2.0));
  CallOutcome pair = Ok(*instance, "pair", {Value::I32(-7)});
  ASSERT_EQ(pair.results.size(), 2u);
  EXPECT_EQ(pair.results[0].i32, -7);
  EXPECT_DOUBLE_EQ(pair.results[1].f64, -7.0);
}

TEST_P(EngineTest, CallsHostImportsWithArgumentsAndMemory) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  CallOutcome mixed =
      Ok(*instance, "mix", {Value::I32(1), Value::I64(1LL << 33), Value::F32(0.5f), Value::F64(0.25)});
  EXPECT_DOUBLE_EQ(mixed.results.at(0).f64, 1 + 8589934592.0 + 0.75);
  EXPECT_EQ(Ok(*instance, "sum_data").results.at(0).i32, 15);
  ASSERT_GE(instance->Memory().size(), 65536u);
  EXPECT_EQ(instance->Memory()[18], 3);
  EXPECT_TRUE(instance->HasExport("memory"));
  EXPECT_TRUE(instance->HasExport("spin"));
  EXPECT_FALSE(instance->HasExport("nope"));
}

TEST_P(EngineTest, BadCallsAreHostTraps) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  CallOutcome missing = instance->Call("nope", {});
  EXPECT_TRUE(missing.trapped);
  EXPECT_EQ(missing.trap.kind, TrapKind::kHost);
  EXPECT_NE(missing.trap.message.find("nope"), std::string::npos);
  std::vector<Value> wrong = {Value::I64(1), Value::I32(2)};
  CallOutcome typed = instance->Call("add_i32", wrong);
  EXPECT_EQ(typed.trap.kind, TrapKind::kHost);
  EXPECT_NE(typed.trap.message.find("(i32, i32)"), std::string::npos) << typed.trap.message;
}

TEST_P(EngineTest, UnreachableTraps) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  CallOutcome outcome = instance->Call("crash", {});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kUnreachable) << outcome.trap.message;
  if (!aot()) {
    // $boom is function 11 (4 imports, then add_i32..sum_data), crash 12.
    EXPECT_EQ(outcome.trap.stack, (std::vector<uint32_t>{11, 12}));
  }
  // The instance stays usable after a trap.
  EXPECT_EQ(Ok(*instance, "add_i32", {Value::I32(1), Value::I32(2)}).results.at(0).i32, 3);
}

TEST_P(EngineTest, MapsTrapKinds) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  struct Case {
    const char* name;
    std::vector<Value> args;
    TrapKind kind;
  };
  std::vector<Case> cases = {
      {"oob", {}, TrapKind::kOutOfBounds},
      {"div_s", {Value::I32(1), Value::I32(0)}, TrapKind::kIntegerDivide},
      {"div_s", {Value::I32(INT32_MIN), Value::I32(-1)}, TrapKind::kIntegerDivide},
      {"trunc", {Value::F32(NAN)}, TrapKind::kConversion},
      {"trunc", {Value::F32(1e20f)}, TrapKind::kConversion},
      {"call_slot", {Value::I32(0)}, TrapKind::kIndirectCall},  // wrong signature
      {"call_slot", {Value::I32(1)}, TrapKind::kIndirectCall},  // null entry
      {"call_slot", {Value::I32(9)}, TrapKind::kIndirectCall},  // outside the table
  };
  for (const Case& c : cases) {
    CallOutcome outcome = instance->Call(c.name, c.args);
    ASSERT_TRUE(outcome.trapped) << c.name;
    EXPECT_EQ(outcome.trap.kind, c.kind)
        << c.name << ": " << TrapKindName(outcome.trap.kind) << " " << outcome.trap.message;
    EXPECT_FALSE(outcome.trap.message.empty());
  }
}

TEST_P(EngineTest, DeepRecursionExhaustsTheStack) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  CallOutcome outcome = instance->Call("recurse", std::vector<Value>{Value::I32(0)});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kStackExhausted) << outcome.trap.message;
  if (!aot()) {
    ASSERT_GT(outcome.trap.stack.size(), 100u);
    EXPECT_EQ(outcome.trap.stack.front(), 15u);  // recurse
  }
  EXPECT_EQ(Ok(*instance, "add_i32", {Value::I32(1), Value::I32(2)}).results.at(0).i32, 3);
}

TEST_P(EngineTest, WatchdogStopsAnInfiniteLoop) {
  EngineOptions options = Options();
  options.instruction_budget = 200000;
  options.watchdog_ms = 200;
  std::unique_ptr<Instance> instance = Load(options);
  ASSERT_TRUE(instance);
  auto start = std::chrono::steady_clock::now();
  CallOutcome outcome = instance->Call("spin", {});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kWatchdog) << outcome.trap.message;
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  // Calls within the budget still work, several times over.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Ok(*instance, "count", {Value::I32(1000)}).results.at(0).i32, 1000);
  }
  EXPECT_EQ(instance->Call("spin", {}).trap.kind, TrapKind::kWatchdog);
}

TEST_P(EngineTest, MemoryCapMakesGrowFail) {
  EngineOptions options = Options();
  options.max_memory_bytes = 4 * 65536;
  std::unique_ptr<Instance> instance = Load(options);
  ASSERT_TRUE(instance);
  EXPECT_EQ(Ok(*instance, "grow", {Value::I32(2)}).results.at(0).i32, 1);
  EXPECT_EQ(Ok(*instance, "grow", {Value::I32(5)}).results.at(0).i32, -1);
  EXPECT_EQ(Ok(*instance, "grow", {Value::I32(1)}).results.at(0).i32, 3);
  EXPECT_EQ(instance->Memory().size(), 4u * 65536);
  CallOutcome outcome = instance->Call("grow_or_abort", std::vector<Value>{Value::I32(1)});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kMemoryLimit) << outcome.trap.message;
  // Without a cap the module's own maximum (100 pages) applies.
  std::unique_ptr<Instance> free_instance = Load();
  ASSERT_TRUE(free_instance);
  EXPECT_EQ(Ok(*free_instance, "grow", {Value::I32(50)}).results.at(0).i32, 1);
  EXPECT_EQ(Ok(*free_instance, "grow", {Value::I32(50)}).results.at(0).i32, -1);
  EXPECT_EQ(free_instance->Call("grow_or_abort", std::vector<Value>{Value::I32(60)}).trap.kind,
            TrapKind::kUnreachable);
}

TEST_P(EngineTest, HostTrapUnwindsWithItsKindAndCode) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  CallOutcome outcome = instance->Call("quit", std::vector<Value>{Value::I32(7)});
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kExit);
  EXPECT_EQ(outcome.trap.exit_code, 7);
  EXPECT_EQ(outcome.trap.message, "proc_exit");
  if (!aot()) EXPECT_EQ(outcome.trap.stack, (std::vector<uint32_t>{2, 18}));  // exit, quit
}

TEST_P(EngineTest, HostExceptionsBecomeHostTraps) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  std::vector<Value> args = {Value::I32(-99), Value::I64(0), Value::F32(0), Value::F64(0)};
  CallOutcome outcome = instance->Call("mix", args);
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kHost);
  EXPECT_EQ(outcome.trap.message, "env.mix threw: boom");
  EXPECT_EQ(Ok(*instance, "add_i32", {Value::I32(1), Value::I32(2)}).results.at(0).i32, 3);
}

TEST_P(EngineTest, HostFunctionsMayCallBackIn) {
  std::unique_ptr<Instance> instance = Load();
  ASSERT_TRUE(instance);
  EXPECT_EQ(Ok(*instance, "outer", {Value::I32(5)}).results.at(0).i32, 1006);
  EXPECT_EQ(Ok(*instance, "outer", {Value::I32(-1)}).results.at(0).i32, 1000);
  EXPECT_EQ(instance->Call("crash", {}).trap.kind, TrapKind::kUnreachable);
}

TEST_P(EngineTest, ReinstantiatesAfterATrap) {
  for (int round = 0; round < 3; ++round) {
    std::unique_ptr<Instance> instance = Load();
    ASSERT_TRUE(instance);
    EXPECT_EQ(instance->Call("crash", {}).trap.kind, TrapKind::kUnreachable);
    EXPECT_EQ(Ok(*instance, "sum_data").results.at(0).i32, 15);
  }
  // Several live instances of one module keep separate memories.
  std::unique_ptr<Instance> a = Load();
  std::unique_ptr<Instance> b = Load();
  ASSERT_TRUE(a && b);
  a->Memory()[100] = 1;
  EXPECT_EQ(b->Memory()[100], 0);
  EXPECT_EQ(Ok(*a, "grow", {Value::I32(1)}).results.at(0).i32, 1);
  EXPECT_EQ(Ok(*b, "grow", {Value::I32(2)}).results.at(0).i32, 1);
  EXPECT_EQ(a->Memory().size(), 2u * 65536);
  EXPECT_EQ(b->Memory().size(), 3u * 65536);
}

TEST_P(EngineTest, MissingImportIsAnInstantiationError) {
  std::vector<uint8_t> wasm = Wat(R"((module
    (import "ws_host" "submit" (func (param i32 i32)))
    (import "ws_host" "teleport" (func (param i32))))
  )");
  std::vector<HostImport> imports = {
      {"ws_host",
       "submit",
       {ValueType::kI32, ValueType::kI32},
       {},
       [](Instance&, std::span<const Value>, std::span<Value>) { return HostOutcome::Ok(); }}};
  Result<std::unique_ptr<Instance>> missing = MakeEngine()->Instantiate(wasm, imports, Options());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("ws_host.teleport"), std::string::npos) << missing.error().message;
  imports[0].params = {ValueType::kI32};
  Result<std::unique_ptr<Instance>> mismatch = MakeEngine()->Instantiate(wasm, imports, Options());
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("ws_host.submit"), std::string::npos) << mismatch.error().message;
}

// Wall-clock time, not an instruction count, on both engines: the limit a
// user sets is the time an infinite loop runs.
TEST_P(EngineTest, WatchdogIsWallClockTime) {
  EngineOptions options = Options();
  options.instruction_budget = 0;
  options.watchdog_ms = 300;
  std::unique_ptr<Instance> instance = Load(options);
  ASSERT_TRUE(instance);
  auto start = std::chrono::steady_clock::now();
  CallOutcome outcome = instance->Call("spin", {});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(outcome.trapped);
  EXPECT_EQ(outcome.trap.kind, TrapKind::kWatchdog) << outcome.trap.message;
  EXPECT_NE(outcome.trap.message.find("ran longer than 300 ms"), std::string::npos) << outcome.trap.message;
  EXPECT_GE(elapsed, std::chrono::milliseconds(290));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_P(EngineTest, StartFunctionIsWatchedToo) {
  std::vector<uint8_t> wasm = Wat("(module (func $forever (loop $l (br $l))) (start $forever))");
  EngineOptions options = Options();
  options.instruction_budget = 100000;
  options.watchdog_ms = 100;
  Result<std::unique_ptr<Instance>> result = MakeEngine()->Instantiate(wasm, {}, options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("start function"), std::string::npos) << result.error().message;
}

TEST_P(EngineTest, RejectsGarbage) {
  std::vector<uint8_t> garbage = {0, 'a', 's', 'm', 9, 9, 9, 9};
  Result<std::unique_ptr<Instance>> result = MakeEngine()->Instantiate(garbage, {}, Options());
  EXPECT_FALSE(result);
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineTest, ::testing::Values("interp", "aot"),
                         [](const auto& info) { return info.param; });

TEST(InterpEngineTest, CountsInstructions) {
  Result<std::unique_ptr<Instance>> instance =
      MakeInterpEngine()->Instantiate(MainModule(), MainImports(), {});
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ((*instance)->InstructionsExecuted(), 0u);
  EXPECT_EQ(Ok(**instance, "count", {Value::I32(5000)}).results.at(0).i32, 5000);
  uint64_t after_loop = (*instance)->InstructionsExecuted();
  EXPECT_GT(after_loop, 5000u);
  EXPECT_LT(after_loop, 5000u * 20);
  Ok(**instance, "add_i32", {Value::I32(1), Value::I32(2)});
  EXPECT_GT((*instance)->InstructionsExecuted(), after_loop);
}

TEST(InterpEngineTest, BudgetIsPerCall) {
  EngineOptions options;
  options.instruction_budget = 3000;
  Result<std::unique_ptr<Instance>> instance =
      MakeInterpEngine()->Instantiate(MainModule(), MainImports(), options);
  ASSERT_TRUE(instance);
  // 100 iterations fit in the budget every time; 10000 do not.
  for (int i = 0; i < 10; ++i) Ok(**instance, "count", {Value::I32(100)});
  EXPECT_EQ((*instance)->Call("count", std::vector<Value>{Value::I32(10000)}).trap.kind, TrapKind::kWatchdog);
}

constexpr std::string_view kSimdModule = R"((module
  (func (export "lane") (result i32)
    (i32x4.extract_lane 2 (v128.const i32x4 1 2 3 4)))))";

constexpr std::string_view kThreadsModule = R"((module
  (memory 1 1 shared)
  (func (export "bump") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))))";

TEST(InterpEngineTest, RunsSimdAndThreadsModules) {
  Result<std::unique_ptr<Instance>> simd = MakeInterpEngine()->Instantiate(Wat(kSimdModule), {}, {});
  ASSERT_TRUE(simd) << simd.error().message;
  EXPECT_EQ(Ok(**simd, "lane").results.at(0).i32, 3);
  Result<std::unique_ptr<Instance>> threads = MakeInterpEngine()->Instantiate(Wat(kThreadsModule), {}, {});
  ASSERT_TRUE(threads) << threads.error().message;
  EXPECT_EQ(Ok(**threads, "bump").results.at(0).i32, 0);
  EXPECT_EQ(Ok(**threads, "bump").results.at(0).i32, 1);
}

TEST(EngineNamesTest, TrapKindNames) {
  EXPECT_STREQ(TrapKindName(TrapKind::kWatchdog), "watchdog");
  EXPECT_STREQ(TrapKindName(TrapKind::kMemoryLimit), "memory-limit");
  EXPECT_STREQ(MakeInterpEngine()->name(), "interp");
}

}  // namespace
}  // namespace ws::host
