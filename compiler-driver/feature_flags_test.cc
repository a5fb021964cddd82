#include <gtest/gtest.h>

#include "compiler-driver/build_plan.h"

namespace ws {
namespace {

TEST(FeatureFlagsTest, DefaultsHaveTheirFlagsOnly) {
  EXPECT_EQ(FeatureFlags(FeatureSet{}),
            (std::vector<std::string>{"-mcpu=mvp", "-msign-ext", "-mmutable-globals"}));
}

// The order is part of every compile command and so of cache keys: the
// defaults' flags first, then the others in table order.
TEST(FeatureFlagsTest, EveryFeatureInTheOrderCompileCommandsHaveAlwaysUsed) {
  FeatureSet all;
  for (const std::string& name : FeatureNames()) *all.Field(name) = true;
  EXPECT_EQ(FeatureFlags(all),
            (std::vector<std::string>{"-mcpu=mvp", "-msign-ext", "-mmutable-globals", "-msimd128",
                                      "-matomics", "-mbulk-memory", "-mnontrapping-fptoint", "-mmultivalue",
                                      "-mreference-types", "-mtail-call"}));
}

TEST(FeatureFlagsTest, AnOffDefaultLosesItsFlag) {
  FeatureSet f;
  f.sign_ext = false;
  f.threads = f.bulk_memory = true;
  EXPECT_EQ(FeatureFlags(f),
            (std::vector<std::string>{"-mcpu=mvp", "-mmutable-globals", "-matomics", "-mbulk-memory"}));
}

}  // namespace
}  // namespace ws
