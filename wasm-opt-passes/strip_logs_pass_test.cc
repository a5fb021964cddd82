#include "wasm-opt-passes/strip_logs_pass.h"

#include <gtest/gtest.h>

#include <string>

#include "wasm-opt-passes/expression_walker.h"
#include "wasm-opt-passes/test_wat.h"
#include "wasm-opt-passes/wasm_sections.h"

namespace ws::opt {
namespace {

using testing::Wat;

// Strings at 100: "debug-msg" (9), "info-msg" (8, at 110), "error-msg" (9, at 119),
// "shared-msg" (10, at 129), "tail of me" (10, at 140), "stored-msg" (10, at 151).
constexpr char kModule[] = R"wat(
(module
  (import "ws_host" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "debug-msg\00info-msg\00error-msg\00shared-msg\00tail of me\00stored-msg\00")
  (data (i32.const 200) "\97\00\00\00")
  (global $g (mut i32) (i32.const 0))
  (func $side (result i32) (global.set $g (i32.const 1)) (i32.const 3))
  (func $frame (export "ws_frame") (param $now f64) (param $level i32) (param $p i32) (result i32)
    (call $log (i32.const 0) (i32.const 100) (i32.const 9))
    (call $log (i32.const 1) (i32.const 110) (i32.const 8))
    (call $log (i32.const 3) (i32.const 119) (i32.const 9))
    (call $log (i32.const 0) (i32.const 129) (i32.const 10))
    (call $log (i32.const 0) (i32.const 145) (i32.const 2))
    (call $log (i32.const 0) (i32.const 151) (i32.const 10))
    (call $log (i32.const 1) (local.get $p) (i32.const 4))
    (call $log (local.get $level) (i32.const 100) (i32.const 9))
    (call $log (i32.const 0) (i32.const 100) (call $side))
    (if (local.get $level) (then (call $log (i32.const 0) (i32.const 100) (i32.const 5))))
    (i32.const 0))
  (func $other (export "other") (result i32)
    (i32.add (i32.const 129) (i32.const 140)))
)
)wat";

uint32_t CallsTo(BinaryenModuleRef module, const char* target) {
  uint32_t calls = 0;
  WalkModuleCode(module, [&](const ExprVisit& visit) {
    if (KindOf(visit.expr) == ExprKind::kCall && std::string(BinaryenCallGetTarget(visit.expr)) == target)
      ++calls;
  });
  return calls;
}

std::string Memory(const Module& module, uint32_t address, uint32_t length) {
  std::vector<uint8_t> wasm = module.Write(/*names=*/true);
  Result<std::vector<DataSegmentView>> segments = FindDataSegments(wasm);
  if (!segments) return "";
  for (const DataSegmentView& segment : *segments) {
    if (segment.constant_address && address >= segment.address &&
        address + length <= segment.address + segment.size) {
      return std::string(wasm.begin() + segment.file_offset + (address - segment.address),
                         wasm.begin() + segment.file_offset + (address - segment.address) + length);
    }
  }
  return "";
}

Module Read(const std::vector<uint8_t>& wasm) {
  Result<Module> module = Module::Read(wasm, BinaryenFeatureMVP() | BinaryenFeatureMutableGlobals());
  EXPECT_TRUE(module.ok()) << (module.ok() ? "" : module.error().message);
  return std::move(*module);
}

TEST(StripLogsTest, RemovesConstantLevelCallsBelowTheThresholdAndTheirStrings) {
  Module module = Read(Wat(kModule));
  ASSERT_EQ(CallsTo(module.get(), "log"), 10u);

  Result<StripLogsStats> stats = StripLogs(module, 2);
  ASSERT_TRUE(stats.ok()) << stats.error().message;

  // Removed: the debug/info calls with constant operands (5), the one with a
  // pointer from a local, and the one inside the `if`. Kept: the error, the
  // dynamic level and the one whose length has a side effect.
  EXPECT_EQ(stats->calls_removed, 7u);
  EXPECT_EQ(stats->calls_kept, 3u);
  EXPECT_EQ(CallsTo(module.get(), "log"), 3u);
  EXPECT_TRUE(BinaryenModuleValidate(module.get()));

  EXPECT_EQ(Memory(module, 100, 9), "debug-msg") << "still used by the kept dynamic-level call";
  EXPECT_EQ(Memory(module, 110, 8), std::string(8, '\0'));
  EXPECT_EQ(Memory(module, 119, 9), "error-msg");
  EXPECT_EQ(Memory(module, 129, 10), "shared-msg") << "another i32.const points at it";
  EXPECT_EQ(Memory(module, 145, 2), "of") << "inside a C string that is still referenced";
  EXPECT_EQ(Memory(module, 151, 10), "stored-msg") << "a pointer to it is stored in data";
  EXPECT_EQ(stats->string_bytes_removed, 8u);
}

TEST(StripLogsTest, RemovesDebugStringsWhenNothingElseUsesThem) {
  Module module = Read(Wat(R"wat(
    (module
      (import "ws_host" "log" (func $log (param i32 i32 i32)))
      (memory 1)
      (data (i32.const 64) "only debug\00")
      (func $f (export "ws_frame") (param f64) (result i32)
        (call $log (i32.const 0) (i32.const 64) (i32.const 10))
        (i32.const 1)))
  )wat"));
  Result<StripLogsStats> stats = StripLogs(module, 1);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->calls_removed, 1u);
  EXPECT_EQ(stats->string_bytes_removed, 10u);
  EXPECT_EQ(Memory(module, 64, 10), std::string(10, '\0'));
}

TEST(StripLogsTest, FollowsThinWrappersOfTheImport) {
  Module module = Read(Wat(R"wat(
    (module
      (import "ws_host" "log" (func $ws_host_log (param i32 i32 i32)))
      (memory 1)
      (func $Log (param i32 i32 i32) (call $ws_host_log (local.get 0) (local.get 1) (local.get 2)))
      (func $f (export "ws_frame") (param f64) (result i32)
        (call $Log (i32.const 0) (i32.const 8) (i32.const 3))
        (call $Log (i32.const 2) (i32.const 8) (i32.const 3))
        (i32.const 1)))
  )wat"));
  Result<StripLogsStats> stats = StripLogs(module, 2);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->calls_removed, 1u);
  EXPECT_EQ(stats->calls_kept, 1u);
  EXPECT_EQ(CallsTo(module.get(), "Log"), 1u);
}

TEST(StripLogsTest, LeavesAModuleWithoutTheImportAlone) {
  Module module = Read(Wat(R"wat((module (func $f (export "f") (result i32) (i32.const 1))))wat"));
  Result<StripLogsStats> stats = StripLogs(module, 3);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->calls_removed, 0u);
  EXPECT_EQ(stats->calls_kept, 0u);
}

}  // namespace
}  // namespace ws::opt
