#include "diagnostics/suggest.h"

#include <gtest/gtest.h>

namespace ws {
namespace {

TEST(EditDistanceTest, CountsSwapsAsOneEdit) {
  EXPECT_EQ(EditDistance("width", "widht"), 1u);
  EXPECT_EQ(EditDistance("sources", "sorces"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(NearestMatchTest, SuggestsCloseCandidate) {
  std::vector<std::string> keys = {"app", "sources", "include", "devices", "profiles"};
  EXPECT_EQ(NearestMatch("sorces", keys), "sources");
  EXPECT_EQ(NearestMatch("Include", keys), "include");
  EXPECT_EQ(NearestMatch("profile", keys), "profiles");
}

TEST(NearestMatchTest, RejectsFarCandidates) {
  std::vector<std::string> keys = {"app", "sources"};
  EXPECT_FALSE(NearestMatch("colour", keys).has_value());
  EXPECT_EQ(DidYouMean("zzz", keys), "");
  EXPECT_EQ(DidYouMean("ap", keys), "; did you mean 'app'?");
}

}  // namespace
}  // namespace ws
