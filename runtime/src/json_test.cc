#include "wasmship/json.hpp"

#include <gtest/gtest.h>

namespace ws {
namespace {

TEST(JsonTest, ParsesNestedDocument) {
  auto doc = ParseJson(R"({"rails": [{"title": "New \u00e9", "tiles": [1, 2.5, -3e2]}], "ok": true, "n": null})");
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["rails"].size(), 1u);
  EXPECT_EQ((*doc)["rails"][0]["title"].string_or(""), "New \xc3\xa9");
  EXPECT_EQ((*doc)["rails"][0]["tiles"][2].number_or(0), -300);
  EXPECT_TRUE((*doc)["ok"].bool_or(false));
  EXPECT_TRUE((*doc)["n"].is_null());
  EXPECT_TRUE((*doc)["missing"][3]["x"].is_null());
}

TEST(JsonTest, ReportsErrorsWithOffsets) {
  JsonError error;
  EXPECT_FALSE(ParseJson("{\"a\": [1, 2}", &error));
  EXPECT_EQ(error.offset, 11u);
  EXPECT_FALSE(ParseJson("\"unterminated", &error));
  EXPECT_FALSE(ParseJson("[1] 2", &error));
  EXPECT_FALSE(ParseJson(std::string(1000, '['), &error));
  EXPECT_EQ(error.message, "nesting too deep");
}

}  // namespace
}  // namespace ws
