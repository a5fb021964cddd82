#include "update-repo/canonical_json.h"

#include <gtest/gtest.h>

namespace ws::tuf {
namespace {

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  Json value = Json::parse(R"({"b": [1, true, null], "a": {"z": -3, "y": "s"}})");
  EXPECT_EQ(*CanonicalJson(value), R"({"a":{"y":"s","z":-3},"b":[1,true,null]})");
}

TEST(CanonicalJson, EscapesOnlyQuoteAndBackslash) {
  // securesystemslib's encode_canonical leaves control characters and UTF-8 as they are.
  Json value = std::string("q\"b\\n\nt\té");
  EXPECT_EQ(*CanonicalJson(value), "\"q\\\"b\\\\n\nt\té\"");
}

TEST(CanonicalJson, SortsKeysByteWise) {
  Json value = {{"b", 1}, {"B", 2}, {"é", 3}, {"a", 4}};
  EXPECT_EQ(*CanonicalJson(value), "{\"B\":2,\"a\":4,\"b\":1,\"é\":3}");
}

TEST(CanonicalJson, RefusesFloats) {
  Result<std::string> out = CanonicalJson(Json{{"x", 1.5}});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("floating-point"), std::string::npos);
}

TEST(CanonicalJson, LargeUnsignedIntegersKeepTheirDigits) {
  EXPECT_EQ(*CanonicalJson(Json(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(*CanonicalJson(Json(-9007199254740993ll)), "-9007199254740993");
}

TEST(CanonicalJson, ParseNamesTheSource) {
  Result<Json> bad = ParseJson("{\"a\":", "repo/timestamp.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "repo/timestamp.json: malformed metadata: not valid JSON");
}

}  // namespace
}  // namespace ws::tuf
