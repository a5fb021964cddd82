#include "wasm-opt-passes/feature_validation.h"

#include <gtest/gtest.h>

#include "wasm-opt-passes/test_wat.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {
namespace {

using testing::Wat;

constexpr char kSimdModule[] = R"wat(
(module
  (func $_ZN2ws2ui6LayoutEf (export "layout") (param f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.splat (local.get 0))))
  (func $plain (export "plain") (result i32) (i32.const 1))
)
)wat";

TEST(ValidateFeaturesTest, RejectsSimdWithoutSimdAndNamesTheFunction) {
  Features features;  // the default variant: no SIMD
  Status status = ValidateFeatures(Wat(kSimdModule), features);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "function ws::ui::Layout(float) uses SIMD instructions, which this variant does not have");
}

TEST(ValidateFeaturesTest, AcceptsSimdWhenTheVariantHasIt) {
  Features features;
  features.simd = true;
  Status status = ValidateFeatures(Wat(kSimdModule), features);
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST(ValidateFeaturesTest, NamesOtherFeatures) {
  Features features;
  features.sign_ext = false;
  Status status = ValidateFeatures(Wat(R"wat(
    (module
      (func $ok (export "ok") (result i32) (i32.const 0))
      (func $_ZN2ws4Byte2AsEi (export "as") (param i32) (result i32) (i32.extend8_s (local.get 0))))
  )wat"),
                                   features);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "function ws::Byte::As(int) uses sign-extension instructions, which this variant does not have");

  status = ValidateFeatures(Wat(R"wat(
    (module (memory 1 1)
      (func $copy (export "copy") (memory.copy (i32.const 0) (i32.const 8) (i32.const 8))))
  )wat"),
                            Features{});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("function copy uses bulk memory"), std::string::npos)
      << status.error().message;
}

TEST(ValidateFeaturesTest, DescribesLogsOfEveryKind) {
  BinaryenModuleRef module = BinaryenModuleCreate();
  EXPECT_EQ(DescribeValidatorLog("[wasm-validator error in function 3] unexpected false: Atomic operation "
                                 "(atomics are disabled), on \n(i32.atomic.load\n (i32.const 0)\n)\n",
                                 module),
            "function func[3] uses atomics or shared memory (threads), which this variant does not have");
  EXPECT_EQ(DescribeValidatorLog("[wasm-validator error in module] unexpected false: shared memory requires "
                                 "threads [--enable-threads], on \nmemory\n",
                                 module),
            "the module uses atomics or shared memory (threads), which this variant does not have");
  EXPECT_EQ(DescribeValidatorLog(
                "[wasm-validator error in function f] unexpected false: i32 != i64, on \n(x)\n", module),
            "function f does not validate: i32 != i64");
  BinaryenModuleDispose(module);
}

TEST(ValidateFeaturesTest, ABrokenModuleIsAnErrorNotAnExit) {
  std::vector<uint8_t> garbage = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x0A, 0x05, 0x01, 0x03};
  Status status = ValidateFeatures(garbage, Features{});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("not a valid wasm module"), std::string::npos)
      << status.error().message;
}

// The Binaryen column of wasm_features.def: each feature its own bit, and
// the mask of a feature set exactly MVP plus its features' bits.
TEST(BinaryenMaskTest, EachFeatureHasItsOwnBinaryenBit) {
  EXPECT_EQ(BinaryenMask(wasm::WasmFeature::simd), BinaryenFeatureSIMD128());
  EXPECT_EQ(BinaryenMask(wasm::WasmFeature::threads), BinaryenFeatureAtomics());
  EXPECT_EQ(BinaryenMask(wasm::WasmFeature::mutable_globals), BinaryenFeatureMutableGlobals());
  BinaryenFeatures seen = 0;
  Features all;
  for (const wasm::WasmFeatureInfo& info : wasm::kWasmFeatureTable) {
    BinaryenFeatures bit = BinaryenMask(info.id);
    EXPECT_NE(bit, 0u) << info.name;
    EXPECT_EQ(seen & bit, 0u) << info.name;
    seen |= bit;
    all.*info.field = true;
  }
  EXPECT_EQ(FeatureMask(all), seen | BinaryenFeatureMVP());
  EXPECT_EQ(FeatureMask(Features{}),
            BinaryenFeatureMVP() | BinaryenFeatureSignExt() | BinaryenFeatureMutableGlobals());
}

}  // namespace
}  // namespace ws::opt
