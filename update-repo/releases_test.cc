#include "update-repo/releases.h"

#include <gtest/gtest.h>

namespace ws::tuf {
namespace {

TEST(Releases, VersionsCompareNumerically) {
  EXPECT_LT(CompareVersions("1.9.0", "1.10.0"), 0);
  EXPECT_GT(CompareVersions("2.0", "1.99.99"), 0);
  EXPECT_EQ(CompareVersions("1.2", "1.2.0"), 0);
}

// The bar: at 10%, 10 ± 0.5% of 100,000 simulated devices update,
// and a device inside at 10% stays inside at 50%.
TEST(Releases, RolloutBucketsHitTheShareAndStick) {
  Rollout ten{1000, "stable/catalog/1.5.0", false, {}};
  Rollout fifty = ten;
  fifty.basis_points = 5000;
  int in_ten = 0, in_fifty = 0, left = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string id = "device-" + std::to_string(i);
    bool a = InRollout(ten, id), b = InRollout(fifty, id);
    in_ten += a;
    in_fifty += b;
    left += a && !b;
  }
  std::printf("rollout shares: %.3f%% at 10%%, %.3f%% at 50%%\n", in_ten / 1000.0, in_fifty / 1000.0);
  EXPECT_NEAR(in_ten / 1000.0, 10.0, 0.5);
  EXPECT_NEAR(in_fifty / 1000.0, 50.0, 0.5);
  EXPECT_EQ(left, 0);
}

TEST(Releases, BucketsDifferBetweenReleases) {
  int same = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string id = "d" + std::to_string(i);
    same += RolloutBucket(id, "stable/a/1") / 1000 == RolloutBucket(id, "stable/a/2") / 1000;
  }
  EXPECT_LT(same, 200);  // ~10% by chance; the same salt would give 100%
}

}  // namespace
}  // namespace ws::tuf
