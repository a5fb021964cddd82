#include <gtest/gtest.h>

#include <regex>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::Count;

Json Report() { return testing::LoadReport("report.json"); }

TEST(RenderReportTextTest, KeyContent) {
  std::string text = RenderReportText(Report(), 5);
  EXPECT_TRUE(text.starts_with("wasmship report: catalog 1.4.0 (release)\n")) << text;
  EXPECT_NE(text.find("cache: 22 hits, 2 misses"), std::string::npos);
  EXPECT_NE(text.find("3 of 7 budget checks failed (baseline base/report.json)"), std::string::npos);
  EXPECT_NE(text.find("== base-128m-release =="), std::string::npos);
  EXPECT_NE(text.find("== base-64m-release =="), std::string::npos);
  EXPECT_NE(text.find("devices: tv-2019, tv-2020"), std::string::npos);
  EXPECT_NE(
      text.find(
          "bundle: bundles/catalog-1.4.0-base-128m-release.wsb, 49,811 bytes (48.6 KiB), payload 49,512, "
          "zstd -19, signed"),
      std::string::npos)
      << text;
  // Components with % and compressed estimates, top functions and others.
  EXPECT_NE(text.find("COMPONENT  "), std::string::npos);
  EXPECT_NE(text.find("% OF PAYLOAD"), std::string::npos);
  EXPECT_NE(text.find("Functions (top 5 of 13)"), std::string::npos);
  EXPECT_NE(text.find("(8 others)"), std::string::npos);
  EXPECT_NE(text.find("24,985  20.7%  runtime    ws::ui::LayoutSystem()"), std::string::npos) << text;
  // Trap sites: frame path ones first.
  size_t traps = text.find("Trap sites");
  ASSERT_NE(traps, std::string::npos);
  size_t layout = text.find("ws::ui::LayoutSystem()", traps), op = text.find("operator<<(a&, b)", traps);
  size_t parse = text.find("ws::ParseJson", traps);
  EXPECT_LT(layout, op);
  EXPECT_LT(op, parse);
  // Passes, timings, budgets with the violation marked.
  EXPECT_NE(text.find("strip-logs"), std::string::npos);
  EXPECT_NE(text.find("900 (0.6%)"), std::string::npos) << text;
  EXPECT_NE(text.find("optimize  960 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("total     1.99 s"), std::string::npos) << text;
  EXPECT_NE(testing::Squeeze(text).find(" stick-lite bundle 40 KiB 44.1 KiB FAIL"), std::string::npos)
      << text;
  EXPECT_EQ(Count(text, "FAIL"), 3u);
}

TEST(RenderReportMarkdownTest, KeyContent) {
  std::string md = RenderReportMarkdown(Report(), 5);
  EXPECT_TRUE(md.starts_with("## wasmship: catalog 1.4.0 (release)\n")) << md;
  EXPECT_NE(md.find("**:x: 3 of 7 budget checks failed"), std::string::npos);
  EXPECT_NE(md.find("### Budget violations"), std::string::npos);
  EXPECT_NE(md.find("| stick-lite | base-64m-release | bundle | 40 KiB | 44.1 KiB |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| base-128m-release | tv-2019, tv-2020 | 117.7 KiB | 48.6 KiB | 2 failed |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("<details><summary>Top 5 functions</summary>"), std::string::npos);
  EXPECT_NE(md.find("| `ws::ui::LayoutSystem()` |"), std::string::npos);
  EXPECT_NE(md.find("Trap sites (3 on the frame path)"), std::string::npos);
  EXPECT_NE(md.find("Build time: total 1.99 s"), std::string::npos);
  // Every table row has the header's number of cells (no stray pipes).
  std::istringstream lines(md);
  size_t columns = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    std::string unescaped = std::regex_replace(line, std::regex(R"(\\\|)"), "");
    size_t cells = Count(unescaped, "|");
    if (columns == 0) columns = cells;
    EXPECT_EQ(cells, columns) << line;
  }
  Json quoted = Report();
  quoted["variants"][0]["size"]["functions"][0]["name"] = "a|b";
  EXPECT_NE(RenderReportMarkdown(quoted, 5).find("`a\\|b`"), std::string::npos);
}

TEST(RenderReportHtmlTest, SelfContainedWithTreemapAndEscapedNames) {
  std::string html = RenderReportHtml(Report());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
  // Self-contained: no network, no external files.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(Count(html, "<style>"), 1u);
  // Tables for both variants, the violation highlighted.
  EXPECT_NE(html.find("<h2 id=\"variant-base-128m-release\">"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"variant-base-64m-release\">"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\"><td>stick-lite</td><td>bundle</td>"), std::string::npos);
  EXPECT_NE(html.find("class=\"verdict fail\""), std::string::npos);
  // The treemap: a container, a selector, the data block and the script.
  EXPECT_NE(html.find("<div id=\"ws-treemap\"></div>"), std::string::npos);
  EXPECT_NE(html.find("<select id=\"ws-variant\""), std::string::npos);
  EXPECT_NE(html.find("function squarify("), std::string::npos);
  EXPECT_NE(html.find("data-component"), std::string::npos);
  // Names escaped in the tables: operator<<(a&, b), Quote"Me<T&>().
  EXPECT_NE(html.find("operator&lt;&lt;(a&amp;, b)"), std::string::npos);
  EXPECT_NE(html.find("Quote&quot;Me&lt;T&amp;&gt;()"), std::string::npos);
  EXPECT_EQ(html.find("operator<<"), std::string::npos);
  EXPECT_EQ(html.find("Me<T&>"), std::string::npos);
  // A name that closes the script cannot end the data block.
  EXPECT_EQ(Count(html, "</script>"), 2u);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  // The data block is valid JSON holding the real names.
  size_t begin = html.find("<script type=\"application/json\" id=\"ws-treemap-data\">");
  ASSERT_NE(begin, std::string::npos);
  begin = html.find('>', begin) + 1;
  Json data = Json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  ASSERT_EQ(data["variants"].size(), 2u);
  EXPECT_EQ(data["variants"][0]["name"], "base-128m-release");
  bool found = false;
  uint64_t total = 0;
  for (const Json& c : data["variants"][0]["components"]) {
    total += c["bytes"].get<uint64_t>();
    for (const Json& item : c["items"]) found |= item["name"] == "operator<<(a&, b)";
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(total, data["variants"][0]["file_bytes"].get<uint64_t>());
}

TEST(RenderReportHtmlTest, TreemapItemsOfModuleAndDataAreSections) {
  Json data;
  std::string html = RenderReportHtml(Report());
  size_t begin = html.find('>', html.find("id=\"ws-treemap-data\"")) + 1;
  data = Json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  for (const Json& c : data["variants"][0]["components"]) {
    uint64_t items = 0;
    for (const Json& item : c["items"]) items += item["bytes"].get<uint64_t>();
    EXPECT_EQ(items, c["bytes"].get<uint64_t>()) << c["name"];
    if (c["name"] == "module" || c["name"] == "data") EXPECT_EQ(c["items"][0]["kind"], "section");
  }
}

TEST(RenderersTest, ToleratePartialAndOddReports) {
  for (const char* text :
       {R"({})", R"([])", R"("x")", R"({"variants": 3})",
        R"({"variants": [{"name": 1, "devices": "tv", "size": {"functions": [1, {"bytes": -5}]},
                                             "traps": [{"function": null}], "passes": [{}]}],
                               "budgets": {"results": [{"ok": "no"}]}, "timings_ms": {"weird": true}})",
        R"({"format_version": 1, "module": {"file": "a.wasm", "bytes": 3}, "variants": []})"}) {
    Json report = Json::parse(text);
    EXPECT_NO_THROW(RenderReportText(report, 10)) << text;
    EXPECT_NO_THROW(RenderReportMarkdown(report, 10)) << text;
    EXPECT_NO_THROW(RenderReportHtml(report)) << text;
    EXPECT_NO_THROW(RenderJUnit(report)) << text;
    EXPECT_NO_THROW(DiffReports(report, report, Format::kText)) << text;
  }
}

}  // namespace
}  // namespace ws::size
