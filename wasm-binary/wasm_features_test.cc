#include "wasm-binary/wasm_features.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ws::wasm
