#include "device-host/render/utf8.h"

#include <gtest/gtest.h>

namespace ws::host {
namespace {

using CodePoints = std::vector<uint32_t>;

TEST(Utf8Test, DecodesEveryLength) {
  EXPECT_EQ(DecodeUtf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), (CodePoints{'a', 0xE9, 0x20AC, 0x1F600}));
  EXPECT_TRUE(DecodeUtf8("").empty());
}

TEST(Utf8Test, ReplacesEachMalformedByte) {
  constexpr uint32_t R = kReplacementChar;
  EXPECT_EQ(DecodeUtf8("\xFF"), (CodePoints{R}));
  EXPECT_EQ(DecodeUtf8("\x80x"), (CodePoints{R, 'x'}));             // lone continuation
  EXPECT_EQ(DecodeUtf8("\xC3"), (CodePoints{R}));                   // truncated at the end
  EXPECT_EQ(DecodeUtf8("\xE2\x82x"), (CodePoints{R, R, 'x'}));       // truncated in the middle
  EXPECT_EQ(DecodeUtf8("\xC0\xAF"), (CodePoints{R, R}));             // overlong '/'
  EXPECT_EQ(DecodeUtf8("\xE0\x80\xAF"), (CodePoints{R, R, R}));      // overlong, 3 bytes
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), (CodePoints{R, R, R}));      // surrogate
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80"), (CodePoints{R, R, R, R}));  // above U+10FFFF
  EXPECT_EQ(DecodeUtf8(std::string_view("a\0b", 3)), (CodePoints{'a', 0, 'b'}));
}

}  // namespace
}  // namespace ws::host
