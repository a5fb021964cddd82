#include "wasm-opt-passes/cluster_functions_pass.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "wasm-opt-passes/pipelines.h"
#include "wasm-opt-passes/test_wat.h"

namespace ws::opt {
namespace {

using testing::Wat;

std::vector<uint8_t> Noise(uint32_t seed, size_t size) {
  std::vector<uint8_t> bytes(size);
  for (uint8_t& b : bytes) {
    seed = seed * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(seed >> 24);
  }
  return bytes;
}

std::vector<uint8_t> Variant(std::vector<uint8_t> bytes, size_t position) {
  bytes[position] ^= 0x5A;
  return bytes;
}

TEST(ClusterFunctionsTest, ChainsSimilarBodies) {
  std::vector<uint8_t> a = Noise(1, 300);
  std::vector<uint8_t> b = Noise(2, 300);
  std::vector<std::vector<uint8_t>> storage = {a, b, Variant(a, 100), Variant(b, 50), Variant(a, 200)};
  std::vector<std::span<const uint8_t>> bodies(storage.begin(), storage.end());
  std::vector<uint32_t> order = SimilarityOrder(bodies);
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], 0u) << "the chain starts with the first function";
  EXPECT_EQ(std::set<uint32_t>(order.begin(), order.begin() + 3), (std::set<uint32_t>{0, 2, 4}));
  EXPECT_EQ(std::set<uint32_t>(order.begin() + 3, order.end()), (std::set<uint32_t>{1, 3}));
}

// Two families of functions, interleaved: every other function looks alike.
std::string SumFunction(int i) {
  std::string n = std::to_string(i);
  return "(func $sum" + n + " (export \"sum" + n + "\") (param i32 i32) (result i32) (local i32)\n" +
         "  (local.set 2 (i32.mul (local.get 0) (i32.const " + std::to_string(1000 + i) + ")))\n" +
         "  (local.set 2 (i32.xor (local.get 2) (i32.shr_u (local.get 1) (i32.const 7))))\n" +
         "  (local.set 2 (i32.add (local.get 2) (i32.rotl (local.get 0) (i32.const 13))))\n" +
         "  (i32.sub (local.get 2) (i32.clz (local.get 1))))\n";
}

std::string CopyFunction(int i) {
  std::string n = std::to_string(i);
  return "(func $copy" + n + " (export \"copy" + n + "\") (param i32)\n" +
         "  (i64.store offset=64 (local.get 0) (i64.load offset=8 (local.get 0)))\n" +
         "  (f64.store offset=" + std::to_string(16 * i) +
         " (local.get 0) (f64.sqrt (f64.load offset=24 (local.get 0))))\n" +
         "  (i32.store16 offset=2 (local.get 0) (i32.load8_u offset=5 (local.get 0))))\n";
}

std::string InterleavedModule() {
  std::string wat = "(module (memory (export \"memory\") 1)\n";
  for (int i = 0; i < 24; ++i) wat += i % 2 == 0 ? SumFunction(i) : CopyFunction(i);
  return wat + ")\n";
}

std::set<std::string> Names(const std::vector<uint8_t>& wasm) {
  std::set<std::string> names;
  for (const auto& [index, name] : testing::FunctionNames(wasm)) names.insert(name);
  return names;
}

TEST(ClusterFunctionsTest, ReordersAModuleOnlyWhenTheCompressedSizeShrinks) {
  std::vector<uint8_t> wasm = Wat(InterleavedModule());
  ASSERT_FALSE(wasm.empty());
  Result<Module> module = Module::Read(wasm, BinaryenFeatureMVP());
  ASSERT_TRUE(module.ok());
  std::vector<uint8_t> before = module->Write(/*names=*/true);

  Result<ClusterStats> stats = ClusterFunctions(*module, SettingsFor(Pipeline::kSize, true));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  std::vector<uint8_t> after = module->Write(/*names=*/true);

  EXPECT_EQ(stats->functions, 24u);
  EXPECT_TRUE(BinaryenModuleValidate(module->get()));
  EXPECT_EQ(Names(after), Names(before));
  // Every export still reaches the function of its name.
  for (const auto& [exported, index] : testing::FunctionExports(after)) {
    EXPECT_EQ(testing::FunctionNames(after).at(index), exported);
  }
  ASSERT_TRUE(stats->applied) << stats->zstd_before << " → " << stats->zstd_reordered;
  EXPECT_LT(stats->zstd_reordered, stats->zstd_before);
  EXPECT_EQ(CompressedSize(module->Write(/*names=*/false)), stats->zstd_reordered);
  // The families are now together: the first half of the functions are one kind.
  std::map<uint32_t, std::string> order = testing::FunctionNames(after);
  int switches = 0;
  for (uint32_t i = 1; i < order.size(); ++i) switches += order[i].substr(0, 3) != order[i - 1].substr(0, 3);
  EXPECT_EQ(switches, 1);
}

}  // namespace
}  // namespace ws::opt
