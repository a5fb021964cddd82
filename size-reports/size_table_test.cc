#include <gtest/gtest.h>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::Count;
using testing::Squeeze;

ModuleSizes Sizes(std::vector<std::pair<std::string, uint64_t>> functions, uint64_t data) {
  ModuleSizes s;
  uint64_t code = 5;
  for (auto& [name, bytes] : functions) code += bytes;
  s.sections = {
      {"header", -1, 0, 8}, {"type", 1, 8, 20}, {"code", 10, 28, code}, {"data", 11, 28 + code, data}};
  s.file_bytes = 28 + code + data;
  std::map<std::string, ComponentSize> components;
  uint32_t index = 0;
  for (auto& [name, bytes] : functions) {
    std::string component = name.starts_with("ws::") ? "runtime" : "app";
    s.functions.push_back({index++, name, component, "", "", 0, bytes});
    components[component].name = component;
    components[component].bytes += bytes;
    components[component].functions++;
  }
  components["module"] = {"module", 8 + 20 + 5, 0, 0};
  components["data"] = {"data", data, 0, 0};
  for (auto& [name, c] : components) s.components.push_back(c);
  std::sort(s.components.begin(), s.components.end(),
            [](auto& a, auto& b) { return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name; });
  std::sort(s.functions.begin(), s.functions.end(),
            [](auto& a, auto& b) { return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name; });
  return s;
}

const ModuleSizes kBase = Sizes({{"ws::ui::Layout()", 5000},
                                 {"Root()", 3000},
                                 {"b()", 100},
                                 {"a()", 100},
                                 {"Gone()", 400},
                                 {"operator<<(a&, b)", 50}},
                                1000);
const ModuleSizes kHead = Sizes({{"ws::ui::Layout()", 5200},
                                 {"Root()", 2900},
                                 {"b()", 100},
                                 {"a()", 100},
                                 {"New()", 700},
                                 {"operator<<(a&, b)", 50}},
                                1000);

TEST(RenderSizesTest, TextTableSortedWithTopNAndOthers) {
  std::string text = RenderSizes(kBase, "base.wasm", Format::kText, 3);
  EXPECT_NE(text.find("base.wasm: 9,683 bytes (9.5 KiB), 6 functions"), std::string::npos) << text;
  // Sections by size: code, data, type, header.
  EXPECT_LT(text.find("  code "), text.find("  data "));
  EXPECT_LT(text.find("  data "), text.find("  type "));
  EXPECT_LT(text.find("  type "), text.find("  header "));
  // Top 3 functions by size, then name: Layout, Root, Gone; the other
  // three (a, b, operator<<) summed.
  EXPECT_NE(text.find("Functions (top 3 of 6)"), std::string::npos);
  EXPECT_LT(text.find("ws::ui::Layout()"), text.find("Root()"));
  EXPECT_LT(text.find("Root()"), text.find("Gone()"));
  EXPECT_EQ(text.find("a()"), std::string::npos);
  EXPECT_NE(text.find("250   2.6%             (3 others)"), std::string::npos) << text;
  // Percent of the file, right-aligned numbers.
  EXPECT_NE(text.find("5,000  51.6%  runtime    ws::ui::Layout()"), std::string::npos) << text;
}

TEST(RenderSizesTest, TopZeroListsEverythingAndFormatsDiffer) {
  std::string all = RenderSizes(kBase, "base.wasm", Format::kText, 0);
  EXPECT_EQ(all.find("others)"), std::string::npos);
  EXPECT_LT(all.find("  a()"), all.find("  b()"));  // equal sizes: by name
  std::string md = RenderSizes(kBase, "base.wasm", Format::kMarkdown, 2);
  EXPECT_NE(RenderSizes(kBase, "base.wasm", Format::kMarkdown, 0).find("| `operator<<(a&, b)` |"),
            std::string::npos);
  EXPECT_NE(md.find("| ---: |"), std::string::npos);
  EXPECT_NE(md.find("(4 others)"), std::string::npos);
  std::string html = RenderSizes(kBase, "base.wasm", Format::kHtml, 0);
  EXPECT_NE(html.find("operator&lt;&lt;(a&amp;, b)"), std::string::npos);
  EXPECT_EQ(html.find("operator<<"), std::string::npos);
  Json json = Json::parse(RenderSizes(kBase, "base.wasm", Format::kJson, 2));
  EXPECT_EQ(json["file"], "base.wasm");
  EXPECT_EQ(json["file_bytes"], 9683);
  EXPECT_EQ(json["functions"].size(), 2u);
  EXPECT_EQ(json["other_functions"]["count"], 4);
  EXPECT_EQ(json["other_functions"]["bytes"], 650);
}

TEST(RenderSizeDiffTest, DeltasNewRemovedAndTotal) {
  std::string text = RenderSizeDiff(kBase, kHead, "base.wasm", "head.wasm", Format::kText, 0);
  EXPECT_NE(text.find("base.wasm -> head.wasm: 9,683 -> 10,083 bytes (+400, +4.1%)"), std::string::npos)
      << text;
  // Functions by |delta|: New +700, Gone -400, Layout +200, Root -100;
  // unchanged ones left out.
  EXPECT_NE(text.find("Functions (4 changed)"), std::string::npos);
  size_t added = text.find("New()"), gone = text.find("Gone()"),
         layout = text.find("ws::ui::Layout()", text.find("Functions"));
  EXPECT_LT(added, gone);
  EXPECT_LT(gone, layout);
  EXPECT_EQ(text.find("a()"), std::string::npos);
  std::string squeezed = Squeeze(text);
  EXPECT_NE(squeezed.find(" 0 700 +700 new New()"), std::string::npos) << text;
  EXPECT_NE(squeezed.find(" 400 0 -400 removed Gone()"), std::string::npos) << text;
  EXPECT_NE(squeezed.find(" 5,000 5,200 +200 +4.0% ws::ui::Layout()"), std::string::npos) << text;
  EXPECT_NE(squeezed.find(" 3,000 2,900 -100 -3.3% Root()"), std::string::npos) << text;
  // Components and the total line.
  EXPECT_NE(text.find("app"), std::string::npos);
  EXPECT_NE(squeezed.find(" file 9,683 10,083 +400 +4.1%"), std::string::npos) << text;
}

TEST(RenderSizeDiffTest, TopNSumsTheRestAndOtherFormats) {
  std::string text = RenderSizeDiff(kBase, kHead, "b", "h", Format::kText, 2);
  EXPECT_NE(text.find("Functions (top 2 of 4 changed)"), std::string::npos);
  EXPECT_NE(Squeeze(text).find(" +100 (2 others changed)"), std::string::npos) << text;
  Json json = Json::parse(RenderSizeDiff(kBase, kHead, "b", "h", Format::kJson, 2));
  EXPECT_EQ(json["file"]["delta"], 400);
  EXPECT_EQ(json["functions"][0]["name"], "New()");
  EXPECT_EQ(json["functions"][0]["status"], "new");
  EXPECT_EQ(json["functions"][1]["status"], "removed");
  EXPECT_EQ(json["other_functions"]["delta"], 100);
  std::string md = RenderSizeDiff(kBase, kHead, "b", "h", Format::kMarkdown, 0);
  EXPECT_NE(md.find("| 0 | 700 | +700 | new | `New()` |"), std::string::npos) << md;
  std::string html = RenderSizeDiff(kBase, kHead, "b", "h", Format::kHtml, 0);
  EXPECT_NE(html.find("<tr class=\"grew\">"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"shrank\">"), std::string::npos);
  // Identical modules: nothing changed.
  std::string same = RenderSizeDiff(kBase, kBase, "b", "b", Format::kText, 10);
  EXPECT_NE(same.find("Functions (none changed)"), std::string::npos);
  EXPECT_NE(same.find("(0, 0.0%)"), std::string::npos) << same;
  EXPECT_EQ(Count(same, "new"), 0u);
}

}  // namespace
}  // namespace ws::size
