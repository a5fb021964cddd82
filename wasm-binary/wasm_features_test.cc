#include "wasm-binary/wasm_features.h"

#include <gtest/gtest.h>

#include <set>

namespace ws::wasm {
namespace {

TEST(WasmFeaturesTest, NamesFollowTheFixedOrderAndFieldsMatchThem) {
  WasmFeatures f;
  EXPECT_EQ(f.Names(), (std::vector<std::string>{"sign_ext", "mutable_globals"}));  // the defaults
  for (const std::string& name : WasmFeatureNames()) {
    ASSERT_NE(f.Field(name), nullptr) << name;
    *f.Field(name) = true;
  }
  EXPECT_EQ(f.Names(), WasmFeatureNames());
  EXPECT_EQ(f.Field("gc"), nullptr);
}

// Manifests, devices.yaml and `matrix` list features in this order.
TEST(WasmFeaturesTest, TableKeepsTheOrderManifestsUse) {
  EXPECT_EQ(WasmFeatureNames(),
            (std::vector<std::string>{"simd", "threads", "bulk_memory", "sign_ext", "nontrapping_fptoint",
                                      "mutable_globals", "multivalue", "reference_types", "tail_call"}));
}

TEST(WasmFeaturesTest, EveryRowIsCompleteAndDistinct) {
  std::set<std::string_view> names, short_names, flags;
  for (const WasmFeatureInfo& info : kWasmFeatureTable) {
    EXPECT_EQ(&Info(info.id), &info);
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_TRUE(short_names.insert(info.short_name).second) << info.short_name;
    EXPECT_TRUE(info.clang_flag.starts_with("-m") && flags.insert(info.clang_flag).second) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    WasmFeatures f;
    EXPECT_EQ(f.Has(info.id), info.on_by_default) << info.name;
    *f.Field(info.name) = !info.on_by_default;
    EXPECT_EQ(f.*info.field, !info.on_by_default) << info.name;
  }
}

TEST(WasmFeaturesTest, ThreadsBringBulkMemoryAndNothingElse) {
  WasmFeatures f;
  f.threads = true;
  AddImpliedFeatures(f);
  EXPECT_EQ(f.Names(), (std::vector<std::string>{"threads", "bulk_memory", "sign_ext", "mutable_globals"}));
  WasmFeatures plain;
  AddImpliedFeatures(plain);
  EXPECT_EQ(plain, WasmFeatures{});
}

TEST(WasmFeaturesTest, OnlySignExtIsRequired) {
  ASSERT_EQ(kWasmFeatureRequirements.size(), 1u);
  EXPECT_EQ(kWasmFeatureRequirements[0].feature, WasmFeature::sign_ext);
}

}  // namespace
}  // namespace ws::wasm
