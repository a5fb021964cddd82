#include "src/json_number.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace ws {
namespace {

uint64_t Bits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// glibc's strtod is correctly rounded: the reference, bit for bit.
void ExpectLikeStrtod(const std::string& text) {
  double value = -1;
  ASSERT_EQ(ParseJsonNumber(text, value), text.size()) << text;
  EXPECT_EQ(Bits(value), Bits(std::strtod(text.c_str(), nullptr))) << text;
}

TEST(JsonNumberTest, ShortNumbersAreExact) {
  for (const char* text : {"0", "-0", "1", "-3e2", "2.5", "0.1", "0.000123", "123456789012345", "1e22", "1E-22",
                           "9007199254740993", "4.35", "100", "1e+3", "0e999999999"}) {
    ExpectLikeStrtod(text);
  }
}

TEST(JsonNumberTest, HardCasesRoundHalfToEven) {
  for (const char* text : {
           "9007199254740993",                    // halfway between two doubles: to even
           "9007199254740993.0000000000000000001",  // just above halfway: up
           "2.2250738585072011e-308",             // the subnormal boundary
           "2.2250738585072014e-308",             // the smallest normal
           "4.9406564584124654e-324",             // the smallest subnormal
           "2.4703282292062327e-324",             // half of it: rounds to zero
           "2.4703282292062328e-324",             // above half: rounds up
           "1.7976931348623157e308",              // the largest double
           "1.7976931348623159e308",              // past it: infinity
           "1e-400", "1e400", "-1e400",
           "123456789012345678901234567890e-10",
           "0.1000000000000000055511151231257827021181583404541015625",
           "7.2057594037927933e16", "1448997445238699", "8.988465674311579e307",
       }) {
    ExpectLikeStrtod(text);
  }
}

TEST(JsonNumberTest, ManyDigitsKeepTheirTieBreaker) {
  // 800 digits are kept; a nonzero digit past them still decides a tie.
  std::string text = "9007199254740993" + std::string(900, '0') + "1e-900";
  ExpectLikeStrtod(text);
  ExpectLikeStrtod("0." + std::string(1000, '0') + "1e1000");
}

TEST(JsonNumberTest, RandomNumbersMatchStrtod) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::string text = std::to_string(random() % 100000000000000000ull);
    if (i % 2 == 0) text.insert(1 + random() % (text.size()), ".");
    if (text.back() == '.') text += "5";
    if (text.size() > 1 && text[0] == '0' && text[1] != '.') text.erase(0, 1);
    text += "e" + std::to_string(static_cast<int>(random() % 700) - 350);
    ExpectLikeStrtod(text);
  }
  for (int i = 0; i < 20000; ++i) {  // every double's shortest text reads back as itself
    double value;
    uint64_t bits = random() & 0x7FEFFFFFFFFFFFFFull;
    std::memcpy(&value, &bits, sizeof value);
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    ExpectLikeStrtod(text);
  }
}

TEST(JsonNumberTest, RefusesWhatJsonDoesNot) {
  for (const char* text : {"", "-", "+1", ".5", "01", "1.", "1e", "1e+", "-.5", "inf", "NaN"}) {
    double value = 0;
    EXPECT_EQ(ParseJsonNumber(text, value), 0u) << text;
  }
}

TEST(JsonNumberTest, StopsAtTheNumbersEnd) {
  double value = 0;
  EXPECT_EQ(ParseJsonNumber("12.5, 3", value), 4u);
  EXPECT_EQ(value, 12.5);
  EXPECT_EQ(ParseJsonNumber("7]", value), 1u);
  EXPECT_EQ(value, 7);
  EXPECT_EQ(ParseJsonNumber("0x10", value), 1u);  // the JSON parser then stops at the x
}

}  // namespace
}  // namespace ws
