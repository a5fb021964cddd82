#include <gtest/gtest.h>

#include <random>

#include "size-reports/size_reports.h"
#include "wasm-binary/test_module_builder.h"

namespace ws::size {
namespace {

// Three components: runtime (compressible bodies), app (random bodies),
// and the module's own bytes.
std::vector<uint8_t> Module() {
  wasm::testing::ModuleBuilder b;
  uint32_t t = b.Type({}, {});
  std::mt19937 rng(7);
  for (int i = 0; i < 6; ++i) {
    std::vector<uint8_t> body;
    for (int k = 0; k < 400; ++k) {
      // nop (0x01) runs compress well; i32.const with random immediates
      // (then drop) barely compress.
      if (i < 3) {
        body.push_back(0x01);
      } else {
        body.push_back(0x41);
        body.push_back(static_cast<uint8_t>(rng() & 0x3F));
        body.push_back(0x1A);
      }
    }
    body.push_back(0x0B);
    uint32_t f = b.Function(t, body);
    b.FunctionName(f, (i < 3 ? "ws::F" : "App") + std::to_string(i));
  }
  return b.Build();
}

uint64_t Sum(const ModuleSizes& s) {
  uint64_t n = 0;
  for (const ComponentSize& c : s.components) n += c.compressed_estimate;
  return n;
}

TEST(CompressedEstimateTest, SharesSumExactlyToThePayload) {
  std::vector<uint8_t> wasm = Module();
  Result<ModuleSizes> analyzed = AnalyzeModule(wasm, NamesFromModule(wasm), nullptr);
  ASSERT_TRUE(analyzed);
  for (uint64_t total : {0ull, 1ull, 2ull, 3ull, 7ull, 999ull, 1000ull, 4096ull, 123457ull, 10000000019ull}) {
    ModuleSizes s = *analyzed;
    EstimateCompressedShares(s, wasm, total, 19);
    EXPECT_EQ(Sum(s), total) << total;
    ModuleSizes again = *analyzed;
    EstimateCompressedShares(again, wasm, total, 19);
    for (size_t i = 0; i < s.components.size(); ++i) {
      EXPECT_EQ(s.components[i].compressed_estimate,
                again.components[i].compressed_estimate);  // deterministic
    }
  }
}

TEST(CompressedEstimateTest, IncompressibleCodeGetsTheLargerShare) {
  std::vector<uint8_t> wasm = Module();
  Result<ModuleSizes> s = AnalyzeModule(wasm, NamesFromModule(wasm), nullptr);
  ASSERT_TRUE(s);
  EstimateCompressedShares(*s, wasm, 3000, 3);
  std::map<std::string, const ComponentSize*> by_name;
  for (const ComponentSize& c : s->components) by_name[c.name] = &c;
  ASSERT_TRUE(by_name.count("runtime") && by_name.count("app") && by_name.count("module"));
  // runtime has fewer, far more regular bytes than app.
  EXPECT_LT(by_name["runtime"]->bytes, by_name["app"]->bytes);
  EXPECT_LT(by_name["runtime"]->compressed_estimate * 4, by_name["app"]->compressed_estimate);
  EXPECT_GT(by_name["module"]->compressed_estimate, 0u);
}

TEST(CompressedEstimateTest, ASizeAnalysisOfAnotherModuleDoesNotReadOutOfBounds) {
  std::vector<uint8_t> wasm = Module();
  Result<ModuleSizes> s = AnalyzeModule(wasm, {}, nullptr);
  ASSERT_TRUE(s);
  std::vector<uint8_t> shorter(wasm.begin(), wasm.begin() + 20);
  EstimateCompressedShares(*s, shorter, 500, 3);
  EXPECT_EQ(Sum(*s), 500u);  // only the module's first bytes were compressible
}

}  // namespace
}  // namespace ws::size
