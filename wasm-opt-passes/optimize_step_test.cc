// The optimize step's budget fallback: auto's speed pipeline gives way to
// size when the speed module exceeds a limit, and the report says so.
#include "wasm-opt-passes/optimize_step.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "wasm-opt-passes/test_wat.h"

namespace ws::opt {
namespace {

namespace fs = std::filesystem;

constexpr char kApp[] = R"wat(
(module
  (import "ws_host" "submit" (func $submit (param i32 i32)))
  (memory (export "memory") 1)
  (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $again
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func $ws_frame (export "ws_frame") (param f64) (result i32)
    (call $submit (i32.const 0) (call $sum (i32.const 10)))
    (i32.const 0))
  (func $ws_input (export "ws_input") (param i32 i32) (result i32) (i32.const 1))
)
)wat";

class OptimizeStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("ws_optimize_step_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::vector<uint8_t> wasm = testing::Wat(kApp);
    std::ofstream(dir_ / "in.wasm", std::ios::binary).write(reinterpret_cast<const char*>(wasm.data()), wasm.size());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the speed pipeline with these limits; returns the report.
  nlohmann::json Run(int max_wasm, int max_bundle) {
    OptimizeRequest r;
    r.input = (dir_ / "in.wasm").string();
    r.output = (dir_ / "out.wasm").string();
    r.report = (dir_ / "optimizer.json").string();
    r.symbols = (dir_ / "symbols.json").string();
    r.variant = "base";
    r.options.pipeline = Pipeline::kSpeed;
    r.options.keep_exports = {"memory", "ws_frame", "ws_input"};
    r.options.speed_max_wasm = max_wasm;
    r.options.speed_max_bundle = max_bundle;
    Status ran = RunOptimizeStep(r);
    EXPECT_TRUE(ran) << ran.error().message;
    std::ifstream in(r.report);
    return nlohmann::json::parse(in);
  }

  fs::path dir_;
};

TEST_F(OptimizeStepTest, SpeedWithinItsLimitsStaysSpeed) {
  nlohmann::json report = Run(1 << 20, 1 << 20);
  EXPECT_EQ(report["pipeline"], "speed");
  EXPECT_TRUE(report["speed_budget"]["fits"].get<bool>());
  EXPECT_EQ(report["speed_budget"]["wasm_bytes"].get<uint64_t>(), fs::file_size(dir_ / "out.wasm"));
  EXPECT_GT(report["speed_budget"]["bundle_estimate"].get<uint64_t>(), kBundleAllowance);
  EXPECT_FALSE(report["speed_budget"].contains("why_size"));
}

TEST_F(OptimizeStepTest, OverTheWasmLimitTheSizePipelineRunsInstead) {
  nlohmann::json report = Run(1, 0);
  EXPECT_EQ(report["pipeline"], "size");
  EXPECT_FALSE(report["speed_budget"]["fits"].get<bool>());
  EXPECT_FALSE(report["speed_budget"].contains("bundle_estimate"));
  EXPECT_NE(report["speed_budget"]["why_size"].get<std::string>().find("exceed the wasm budget of 1"),
            std::string::npos);
  bool size_round = false;
  for (const auto& pass : report["passes"]) size_round |= pass["name"] == "binaryen-oz";
  EXPECT_TRUE(size_round);
}

TEST_F(OptimizeStepTest, WithoutLimitsThereIsNoCheck) {
  nlohmann::json report = Run(0, 0);
  EXPECT_EQ(report["pipeline"], "speed");
  EXPECT_FALSE(report.contains("speed_budget"));
}

}  // namespace
}  // namespace ws::opt
