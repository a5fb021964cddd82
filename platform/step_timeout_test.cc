#include "platform/step_timeout.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace ws {
namespace {

TEST(ParseDurationTest, UnitsAndPlainSeconds) {
  EXPECT_EQ(ParseDuration("90"), 90);
  EXPECT_EQ(ParseDuration("90s"), 90);
  EXPECT_EQ(ParseDuration("1.5s"), 1.5);
  EXPECT_EQ(ParseDuration("500ms"), 0.5);
  EXPECT_EQ(ParseDuration("5m"), 300);
  EXPECT_EQ(ParseDuration("5min"), 300);
  EXPECT_EQ(ParseDuration("2h"), 7200);
}

TEST(ParseDurationTest, RefusesWhatIsNotAPositiveDuration) {
  for (const char* bad : {"", "s", "-5s", "0", "0s", "5 parsecs", "nan", "inf", "1e9", "5d", "abc"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(StepTimeoutFromEnvironmentTest, UnsetValidAndInvalid) {
  ::unsetenv(kStepTimeoutVariable);
  Result<std::optional<double>> unset = StepTimeoutFromEnvironment();
  ASSERT_TRUE(unset);
  EXPECT_FALSE(unset->has_value());
  ::setenv(kStepTimeoutVariable, "2m", 1);
  Result<std::optional<double>> set = StepTimeoutFromEnvironment();
  ASSERT_TRUE(set);
  EXPECT_EQ(**set, 120);
  ::setenv(kStepTimeoutVariable, "soon", 1);
  Result<std::optional<double>> bad = StepTimeoutFromEnvironment();
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("WASMSHIP_STEP_TIMEOUT"), std::string::npos);
  ::unsetenv(kStepTimeoutVariable);
}

}  // namespace
}  // namespace ws
