#include "wasmship/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>

namespace ws {
namespace {

// printf's text (the host's libc, which formats exactly), the reference.
std::string Printf(double value, int decimals) {
  char text[400];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

TEST(FormatFixedTest, WritesWhatPrintfWrites) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 8.1, 7.25, 0.5, 1.5, 2.5, 0.125, 0.375, 0.05, 0.15, 0.25, 9.95, 9.995,
                   99.5, 999999.5, 123456789.125, 1e-7, 5e-324, 2.2250738585072014e-308, 0.1, 1.0 / 3,
                   4503599627370495.5, 9007199254740993.0, 1e19, 1.8446744073709552e19, 1e22, 1.5e300,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    for (int decimals = 0; decimals <= 20; ++decimals) {
      ASSERT_EQ(FormatFixed(v, decimals), Printf(v, decimals)) << v << " with " << decimals;
    }
  }
  EXPECT_EQ(FormatFixed(std::nan(""), 2), "nan");
  EXPECT_EQ(FormatFixed(2.5, -3), "2");        // clamped to 0 decimals (ties to even)
  EXPECT_EQ(FormatFixed(0.1, 99), Printf(0.1, 20));
  EXPECT_EQ(FormatFixed(8.1f, 1), "8.1");      // a float's value, promoted
}

TEST(FormatFixedTest, RandomValuesMatchPrintf) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 20000; ++i) {
    double v;
    if (i % 2 == 0) {
      uint64_t bits = rng();
      std::memcpy(&v, &bits, sizeof v);  // any double, any magnitude
      if (std::isnan(v)) continue;
    } else {
      // UI-like values: a few digits, often near a rounding tie.
      v = static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000) / (1 << (rng() % 12));
    }
    int decimals = static_cast<int>(rng() % 8);
    ASSERT_EQ(FormatFixed(v, decimals), Printf(v, decimals)) << v << " with " << decimals;
  }
}

}  // namespace
}  // namespace ws
