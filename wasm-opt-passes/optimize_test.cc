#include <gtest/gtest.h>

#include <algorithm>

#include "wasm-opt-passes/test_wat.h"
#include "wasm-opt-passes/wasm_opt_passes.h"
#include "wasm-opt-passes/wasm_sections.h"

namespace ws::opt {
namespace {

using testing::Wat;

// A small app: the ABI exports, a debug-only export that pulls in a helper,
// an unused function, a debug log and some foldable code.
constexpr char kApp[] = R"wat(
(module
  (import "ws_host" "log" (func $ws_host_log (param i32 i32 i32)))
  (import "ws_host" "submit" (func $ws_host_submit (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "frame started, a long debug message nobody reads in a release\00")
  (global $frames (mut i32) (i32.const 0))
  (func $_ZN2ws6Layout7ComputeEv (result i32) (local $x i32) (local $y i32)
    (local.set $x (i32.add (i32.const 2) (i32.const 3)))
    (local.set $y (i32.mul (local.get $x) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get $y)) (then (unreachable)) (else (local.get $y))))
  (func $_ZN2ws5Debug4DumpEv (local $i i32)
    (loop $again
      (call $ws_host_submit (local.get $i) (i32.const 16))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 100)))))
  (func $unused (result i32) (i32.const 42))
  (func $ws_frame (export "ws_frame") (param f64) (result i32)
    (call $ws_host_log (i32.const 0) (i32.const 1024) (i32.const 61))
    (global.set $frames (i32.add (global.get $frames) (i32.const 1)))
    (call $ws_host_submit (i32.const 0) (call $_ZN2ws6Layout7ComputeEv))
    (i32.const 0))
  (func $ws_input (export "ws_input") (param i32 i32) (result i32) (i32.const 1))
  (func $debug_dump (export "debug_dump") (call $_ZN2ws5Debug4DumpEv))
)
)wat";

OptimizeOptions SizeOptions() {
  OptimizeOptions options;
  options.pipeline = Pipeline::kSize;
  options.keep_exports = {"memory", "ws_frame", "ws_input"};
  return options;
}

std::vector<std::string> PassNames(const OptimizeResult& result) {
  std::vector<std::string> names;
  for (const PassReport& report : result.passes) names.push_back(report.name);
  return names;
}

TEST(OptimizeTest, SizePipelineShrinksAndKeepsOnlyTheKeptExports) {
  std::vector<uint8_t> wasm = Wat(kApp);
  Result<OptimizeResult> result = Optimize(wasm, SizeOptions());
  ASSERT_TRUE(result.ok()) << result.error().message;

  EXPECT_LT(result->wasm.size(), wasm.size());
  EXPECT_EQ(testing::ExportNames(result->wasm), (std::vector<std::string>{"memory", "ws_frame", "ws_input"}));
  EXPECT_EQ(PassNames(*result),
            (std::vector<std::string>{"read", "metadce", "binaryen-oz", "stable-order", "trap-audit"}));
  EXPECT_EQ(result->passes[0].bytes_before, wasm.size());
  const PassReport& metadce = result->passes[1];
  EXPECT_NE(metadce.summary.find("removed 1 export (debug_dump)"), std::string::npos) << metadce.summary;
  EXPECT_LT(metadce.bytes_after, metadce.bytes_before);
  for (const PassReport& report : result->passes) EXPECT_GE(report.ms, 0) << report.name;
  // Only the two imports and what ws_frame/ws_input need are left; names stay without strip.
  std::map<uint32_t, std::string> names = testing::FunctionNames(result->wasm);
  for (const auto& [index, name] : names) {
    EXPECT_NE(name, "unused");
    EXPECT_NE(name, "_ZN2ws5Debug4DumpEv");
  }
}

TEST(OptimizeTest, StripLogsRemovesTheCallAndMemoryPackingTheString) {
  OptimizeOptions options = SizeOptions();
  options.strip_logs_below = 1;
  Result<OptimizeResult> with = Optimize(Wat(kApp), options);
  Result<OptimizeResult> without = Optimize(Wat(kApp), SizeOptions());
  ASSERT_TRUE(with.ok()) << with.error().message;
  ASSERT_TRUE(without.ok());
  ASSERT_EQ(with->passes.at(1).name, "strip-logs");
  EXPECT_EQ(with->passes.at(1).summary,
            "removed 1 of 1 calls to ws_host.log below level 1 (info) and 61 bytes of strings");
  EXPECT_LE(with->wasm.size() + 61, without->wasm.size());
}

TEST(OptimizeTest, StripRemovesNamesAndTheSymbolMapNamesTheFinalIndices) {
  OptimizeOptions options = SizeOptions();
  options.strip = true;
  Result<OptimizeResult> result = Optimize(Wat(kApp), options);
  ASSERT_TRUE(result.ok()) << result.error().message;

  Result<std::vector<std::string>> sections = CustomSectionNames(result->wasm);
  ASSERT_TRUE(sections.ok());
  EXPECT_TRUE(sections->empty()) << sections->front();
  EXPECT_TRUE(testing::FunctionNames(result->wasm).empty());
  EXPECT_EQ(result->passes.back().name, "strip");
  EXPECT_EQ(result->passes.back().bytes_after, result->wasm.size());

  // Imports first, in order; then the exports' functions at their final index.
  EXPECT_EQ(result->symbols.at(0), "ws_host_log");
  EXPECT_EQ(result->symbols.at(1), "ws_host_submit");
  std::map<std::string, uint32_t> exports = testing::FunctionExports(result->wasm);
  EXPECT_EQ(result->symbols.at(exports.at("ws_frame")), "ws_frame");
  EXPECT_EQ(result->symbols.at(exports.at("ws_input")), "ws_input");
  EXPECT_EQ(result->symbols.size(), testing::FunctionCount(result->wasm));
}

TEST(OptimizeTest, SizePipelineIsDeterministic) {
  std::vector<uint8_t> wasm = Wat(kApp);
  OptimizeOptions options = SizeOptions();
  options.strip = true;
  options.strip_logs_below = 2;
  Result<OptimizeResult> first = Optimize(wasm, options);
  Result<OptimizeResult> second = Optimize(wasm, options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->wasm, second->wasm);
  EXPECT_EQ(first->symbols, second->symbols);
}

TEST(OptimizeTest, DebugPipelineOnlyAuditsAndKeepsEveryFunction) {
  std::vector<uint8_t> wasm = Wat(kApp);
  Result<OptimizeResult> result = Optimize(wasm, OptimizeOptions{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(PassNames(*result), (std::vector<std::string>{"read", "trap-audit"}));
  EXPECT_EQ(testing::FunctionCount(result->wasm), testing::FunctionCount(wasm));
  EXPECT_EQ(testing::ExportNames(result->wasm), testing::ExportNames(wasm));
  ASSERT_EQ(result->traps.size(), 1u);
  EXPECT_EQ(result->traps[0].function, "ws::Layout::Compute()");
  EXPECT_TRUE(result->traps[0].on_frame_path);
  // The audit changes nothing: every step reports the size of the output,
  // which keeps its names.
  for (const PassReport& pass : result->passes) EXPECT_EQ(pass.bytes_after, result->wasm.size()) << pass.name;
  EXPECT_EQ(testing::FunctionNames(result->wasm).at(testing::FunctionExports(result->wasm).at("ws_frame")),
            "ws_frame");
}

std::vector<uint8_t> WithCustomSection(std::vector<uint8_t> wasm, const std::string& name, size_t payload) {
  wasm.push_back(0);  // custom section
  wasm.push_back(static_cast<uint8_t>(1 + name.size() + payload));
  wasm.push_back(static_cast<uint8_t>(name.size()));
  wasm.insert(wasm.end(), name.begin(), name.end());
  wasm.insert(wasm.end(), payload, 0x2A);
  return wasm;
}

TEST(OptimizeTest, DwarfIsDroppedBeforeBinaryenReadsTheModule) {
  std::vector<uint8_t> wasm = WithCustomSection(WithCustomSection(Wat(kApp), ".debug_info", 40), "keep_me", 3);
  Result<OptimizeResult> result = Optimize(wasm, OptimizeOptions{});
  ASSERT_TRUE(result.ok()) << result.error().message;
  Result<std::vector<std::string>> sections = CustomSectionNames(result->wasm);
  ASSERT_TRUE(sections.ok());
  EXPECT_EQ(std::count(sections->begin(), sections->end(), ".debug_info"), 0);
  EXPECT_EQ(std::count(sections->begin(), sections->end(), "keep_me"), 1);
  EXPECT_NE(result->passes.front().summary.find("dropped 54 bytes of DWARF"), std::string::npos)
      << result->passes.front().summary;
}

TEST(OptimizeTest, StripAlsoRemovesCustomSectionsBinaryenKeeps) {
  std::vector<uint8_t> wasm = WithCustomSection(Wat(kApp), "llvm.func_attr.annotate.wasmship::composable", 20);
  OptimizeOptions options = SizeOptions();
  options.strip = true;
  Result<OptimizeResult> result = Optimize(wasm, options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  Result<std::vector<std::string>> sections = CustomSectionNames(result->wasm);
  ASSERT_TRUE(sections.ok());
  EXPECT_TRUE(sections->empty()) << sections->front();
  EXPECT_NE(result->passes.back().summary.find("bytes of other custom sections"), std::string::npos)
      << result->passes.back().summary;
  EXPECT_EQ(result->passes.back().bytes_after, result->wasm.size());
}

TEST(OptimizeTest, SpeedPipelineRuns) {
  OptimizeOptions options;
  options.pipeline = Pipeline::kSpeed;
  Result<OptimizeResult> result = Optimize(Wat(kApp), options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(PassNames(*result), (std::vector<std::string>{"read", "binaryen-o3", "trap-audit"}));
  EXPECT_EQ(testing::ExportNames(result->wasm).size(), 4u) << "kSpeed keeps every export";
}

TEST(OptimizeTest, ErrorsAreValues) {
  std::vector<uint8_t> truncated = Wat(kApp);
  truncated.resize(truncated.size() / 2);
  Result<OptimizeResult> broken = Optimize(truncated, SizeOptions());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("not a valid wasm module"), std::string::npos);
  // The linker's output gets a structural check only; a truncated one is
  // still an error value, never Binaryen exiting the process.
  OptimizeOptions linked = SizeOptions();
  linked.linker_output = true;
  Result<OptimizeResult> cut = Optimize(truncated, linked);
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().message.find("not a valid wasm module"), std::string::npos);
  Result<OptimizeResult> whole = Optimize(Wat(kApp), linked);
  EXPECT_TRUE(whole.ok()) << whole.error().message;

  Result<OptimizeResult> simd = Optimize(Wat(R"wat(
    (module (func $_ZN2ws5Blend3RunEv (export "ws_frame") (param f64) (result i32)
      (i32x4.extract_lane 0 (i32x4.splat (i32.const 1)))))
  )wat"),
                                         SizeOptions());
  ASSERT_FALSE(simd.ok());
  EXPECT_EQ(simd.error().message,
            "function ws::Blend::Run() uses SIMD instructions, which this variant does not have");
}

}  // namespace
}  // namespace ws::opt
