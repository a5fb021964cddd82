#include "wasm-binary/snapshot_writer.h"

#include <gtest/gtest.h>

#include <memory>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/ir.h"
#include "wabt/validator.h"
#include "wasm-binary/module_reader.h"
#include "wasm-binary/test_wat.h"

namespace ws::wasm {
namespace {

// wasm-ld's shape: the stack pointer first, data at 1024, a reactor entry.
constexpr const char* kModule = R"((module
  (memory (export "memory") 1 16)
  (global $__stack_pointer (mut i32) (i32.const 8192))
  (global $counter (mut i32) (i32.const 5))
  (global $scale (mut f64) (f64.const 1.5))
  (global $base i32 (i32.const 4096))
  (func $ctors (export "_initialize") (global.set $counter (i32.const 6)))
  (func (export "ws_init") (param i32 i32) (result i32) (global.get $counter))
  (data (i32.const 1024) "\01\02\03")
  (data (i32.const 2048) "hello"))
)";

// The module parsed and validated by wabt (every feature on).
std::unique_ptr<wabt::Module> Validated(const std::vector<uint8_t>& wasm) {
  wabt::Features features;
  features.EnableAll();
  wabt::Errors errors;
  auto module = std::make_unique<wabt::Module>();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/true, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/true);
  bool ok = wabt::Succeeded(wabt::ReadBinaryIr("snapshot.wasm", wasm.data(), wasm.size(), options, &errors, module.get()));
  ok = ok && wabt::Succeeded(wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features)));
  for (const wabt::Error& error : errors) ADD_FAILURE() << error.message;
  return ok ? std::move(module) : nullptr;
}

int64_t ConstOf(const wabt::ExprList& expr) {
  const wabt::Expr& e = expr.front();
  EXPECT_EQ(e.type(), wabt::ExprType::Const);
  const wabt::Const& c = static_cast<const wabt::ConstExpr&>(e).const_;
  if (c.type() == wabt::Type::I32) return static_cast<int32_t>(c.u32());
  if (c.type() == wabt::Type::F64) return static_cast<int64_t>(c.f64_bits());
  return static_cast<int64_t>(c.u64());
}

Snapshot MemoryOf(uint32_t pages) {
  Snapshot s;
  s.memory.assign(pages * 65536u, 0);
  return s;
}

TEST(NonZeroRanges, MergesShortZeroRunsAndSplitsLongOnes) {
  std::vector<uint8_t> memory(200, 0);
  memory[10] = memory[11] = 1;
  memory[20] = 2;           // 8 zeros after 11: merged with gap 16
  memory[100] = 3;          // 79 zeros: a new range
  memory[199] = 4;          // the last byte
  std::vector<ByteRange> ranges = NonZeroRanges(memory, 16);
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0], (ByteRange{10, 11}));
  EXPECT_EQ(ranges[1], (ByteRange{100, 1}));
  EXPECT_EQ(ranges[2], (ByteRange{199, 1}));
  EXPECT_TRUE(NonZeroRanges(std::vector<uint8_t>(64, 0), 16).empty());
}

TEST(WriteSnapshot, MemoryBecomesSegmentsGlobalsAreRewrittenAndTheModuleValidates) {
  std::vector<uint8_t> wasm = testing::Wat(kModule);
  ASSERT_FALSE(wasm.empty());
  Snapshot snapshot = MemoryOf(2);  // start-up grew the memory by a page
  snapshot.memory[1024] = 1;
  snapshot.memory[1025] = 2;
  snapshot.memory[1026] = 3;
  snapshot.memory[5000] = 0xAB;       // .bss (zero-initialized statics) written by start-up
  snapshot.memory[70000] = 0xCD;      // the heap, in the new page
  snapshot.globals = {{0, 0x7F, 8192}, {1, 0x7F, static_cast<uint64_t>(-7)}, {2, 0x7C, 0x4004000000000000},
                      {3, 0x7F, 1}};  // $base is immutable: kept
  SnapshotStats stats;
  Result<std::vector<uint8_t>> written = WriteSnapshot(wasm, snapshot, {}, &stats);
  ASSERT_TRUE(written) << written.error().message;
  std::unique_ptr<wabt::Module> module = Validated(*written);
  ASSERT_NE(module, nullptr);

  EXPECT_EQ(stats.memory_pages, 2u);
  EXPECT_EQ(module->memories[0]->page_limits.initial, 2u);
  EXPECT_EQ(module->memories[0]->page_limits.max, 16u);
  ASSERT_EQ(module->data_segments.size(), 3u);  // "hello" was overwritten: memory is the truth
  EXPECT_EQ(ConstOf(module->data_segments[0]->offset), 1024);
  EXPECT_EQ(module->data_segments[0]->data, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(ConstOf(module->data_segments[1]->offset), 5000);
  EXPECT_EQ(ConstOf(module->data_segments[2]->offset), 70000);
  EXPECT_EQ(stats.segments, 3u);
  EXPECT_EQ(stats.data_bytes, 5u);

  EXPECT_EQ(ConstOf(module->globals[0]->init_expr), 8192);
  EXPECT_EQ(ConstOf(module->globals[1]->init_expr), -7);
  EXPECT_EQ(ConstOf(module->globals[2]->init_expr), 0x4004000000000000);
  EXPECT_EQ(ConstOf(module->globals[3]->init_expr), 4096);

  // _initialize now runs a new, empty function; the others keep their indices.
  const wabt::Export* init = module->GetExport("_initialize");
  ASSERT_NE(init, nullptr);
  const wabt::Func* empty = module->GetFunc(init->var);
  ASSERT_NE(empty, nullptr);
  EXPECT_TRUE(empty->exprs.empty());
  EXPECT_EQ(module->funcs.size(), 3u);
  EXPECT_EQ(module->GetFuncIndex(module->GetExport("ws_init")->var), 1u);
  Result<Module> read = ReadModule(*written);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->function_names.at(0), "ctors");
}

TEST(WriteSnapshot, AModuleWithoutDataGetsADataSection) {
  std::vector<uint8_t> wasm = testing::Wat(R"((module (memory 1) (func (export "_initialize"))))");
  Snapshot snapshot = MemoryOf(1);
  snapshot.memory[8] = 9;
  Result<std::vector<uint8_t>> written = WriteSnapshot(wasm, snapshot);
  ASSERT_TRUE(written) << written.error().message;
  std::unique_ptr<wabt::Module> module = Validated(*written);
  ASSERT_NE(module, nullptr);
  ASSERT_EQ(module->data_segments.size(), 1u);
  EXPECT_EQ(ConstOf(module->data_segments[0]->offset), 8);
}

TEST(WriteSnapshot, RefusesSharedMemoryPassiveSegmentsAndAMissingEntry) {
  Snapshot snapshot = MemoryOf(1);
  std::vector<uint8_t> shared = testing::Wat(
      R"((module (import "env" "memory" (memory 1 1 shared)) (func (export "_initialize"))))");
  Result<std::vector<uint8_t>> refused = WriteSnapshot(shared, snapshot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("imported"), std::string::npos) << refused.error().message;

  std::vector<uint8_t> passive = testing::Wat(R"((module (memory 1) (data "x") (func (export "_initialize"))))");
  refused = WriteSnapshot(passive, snapshot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("passive"), std::string::npos) << refused.error().message;

  std::vector<uint8_t> no_entry = testing::Wat(R"((module (memory 1) (func (export "main"))))");
  refused = WriteSnapshot(no_entry, snapshot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("_initialize"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace ws::wasm
