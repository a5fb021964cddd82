#include "size-reports/treemap_data.h"

#include <gtest/gtest.h>

namespace ws::size {
namespace {

// A report the way builds write it: functions with their file or system and
// composable, and the component tree naming each part's kind.
Json Report() {
  return Json::parse(R"({"variants": [{"name": "v", "size": {
    "file_bytes": 1000,
    "sections": [{"id": 10, "name": "code", "bytes": 700}, {"id": 11, "name": "data", "bytes": 200},
                 {"id": 1, "name": "type", "bytes": 100}],
    "components": [{"name": "runtime", "bytes": 300}, {"name": "app", "bytes": 350},
                   {"name": "libc", "bytes": 40}, {"name": "data", "bytes": 200}, {"name": "module", "bytes": 110}],
    "component_tree": [{"name": "runtime", "kind": "component", "children": [{"name": "layout", "kind": "system"}]},
                       {"name": "app", "kind": "component", "children": [{"name": "src/main.cpp", "kind": "file"}]}],
    "functions": [
      {"index": 1, "name": "LayoutNode", "component": "runtime", "part": "layout", "bytes": 200},
      {"index": 2, "name": "LayoutSystem", "component": "runtime", "part": "layout", "bytes": 100},
      {"index": 3, "name": "Root lambda", "component": "app", "part": "src/main.cpp", "composable": "Root", "bytes": 250},
      {"index": 4, "name": "LoadCatalog", "component": "app", "part": "src/main.cpp", "bytes": 100},
      {"index": 5, "name": "memcpy", "component": "libc", "bytes": 40}]}}]})");
}

const Json* Item(const Json& node, const std::string& name) {
  for (const Json& item : node["items"]) {
    if (item["name"] == name) return &item;
  }
  return nullptr;
}

TEST(TreemapDataTest, ComponentsHoldFilesOrSystemsThenComposablesThenFunctions) {
  Json data = TreemapData(Report());
  const Json& components = data["variants"][0]["components"];
  ASSERT_EQ(components.size(), 5u);
  const Json& runtime = components[0];
  const Json* layout = Item(runtime, "layout");
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ((*layout)["kind"], "system");
  EXPECT_EQ((*layout)["bytes"], 300);
  EXPECT_EQ((*layout)["items"].size(), 2u);
  const Json* main = Item(components[1], "src/main.cpp");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ((*main)["kind"], "file");
  EXPECT_EQ((*main)["bytes"], 350);
  const Json* root = Item(*main, "Root");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["kind"], "composable");
  EXPECT_EQ((*root)["items"][0]["name"], "Root lambda");
  EXPECT_EQ((*Item(*main, "LoadCatalog"))["kind"], "function");
  // Without a part, functions sit right under their component.
  EXPECT_EQ(components[2]["items"][0]["name"], "memcpy");
}

TEST(TreemapDataTest, GroupsSumTheirItemsAndSectionsFillModuleAndData) {
  Json data = TreemapData(Report());
  uint64_t total = 0;
  for (const Json& component : data["variants"][0]["components"]) {
    uint64_t items = 0;
    for (const Json& item : component["items"]) items += item["bytes"].get<uint64_t>();
    EXPECT_EQ(items, component["bytes"].get<uint64_t>()) << component["name"];
    total += component["bytes"].get<uint64_t>();
  }
  EXPECT_EQ(total, 1000u);
  const Json& module = data["variants"][0]["components"][4];
  EXPECT_EQ(module["items"][0]["name"], "code (section header)");
  EXPECT_EQ(module["items"][0]["bytes"], 10);  // 700 minus the 690 bytes of bodies
}

}  // namespace
}  // namespace ws::size
