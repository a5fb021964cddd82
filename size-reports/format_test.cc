#include "size-reports/format.h"

#include <gtest/gtest.h>

namespace ws::size {
namespace {

TEST(FormatTest, Numbers) {
  EXPECT_EQ(Grouped(0), "0");
  EXPECT_EQ(Grouped(999), "999");
  EXPECT_EQ(Grouped(152027), "152,027");
  EXPECT_EQ(Grouped(1234567890), "1,234,567,890");
  EXPECT_EQ(SignedGrouped(1224), "+1,224");
  EXPECT_EQ(SignedGrouped(-56), "-56");
  EXPECT_EQ(SignedGrouped(0), "0");
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(49811), "48.6 KiB");
  EXPECT_EQ(HumanBytes(400 * 1024), "400.0 KiB");
  EXPECT_EQ(HumanBytes(5ull << 20), "5.0 MiB");
  EXPECT_EQ(HumanLimit(400 * 1024), "400 KiB");
  EXPECT_EQ(HumanLimit(250 * 1024 + 1), "250.0 KiB");
  EXPECT_EQ(HumanLimit(1ull << 20), "1 MiB");
  EXPECT_EQ(SignedHuman(1224), "+1.2 KiB");
  EXPECT_EQ(SignedHuman(-300), "-300 B");
  EXPECT_EQ(SignedHuman(0), "0 B");
  EXPECT_EQ(Percent(12.345), "12.3%");
  EXPECT_EQ(SignedPercent(2.52), "+2.5%");
  EXPECT_EQ(SignedPercent(-0.44), "-0.4%");
  EXPECT_EQ(SignedPercent(-0.01), "0.0%");
  EXPECT_EQ(Share(1, 0), 0);
  EXPECT_EQ(Millis(512.3), "512 ms");
  EXPECT_EQ(Millis(1290.2), "1.29 s");
  EXPECT_EQ(SignedMillis(300), "+300 ms");
  EXPECT_EQ(SignedMillis(-1500), "-1.50 s");
  EXPECT_EQ(Fixed(-0.04, 1), "0.0");
}

TEST(FormatTest, Escaping) {
  EXPECT_EQ(EscapeHtml("operator<<(a&, b) \"x\" 'y'"),
            "operator&lt;&lt;(a&amp;, b) &quot;x&quot; &#39;y&#39;");
  EXPECT_EQ(EscapeXml("a\x01\nb<"), "a&#10;b&lt;");
  EXPECT_EQ(EscapeMarkdownCell("a|b\\c<d>\ne"), "a\\|b\\\\c&lt;d&gt; e");
  EXPECT_EQ(MarkdownCode("a|b<c>"), "`a\\|b<c>`");
  EXPECT_EQ(MarkdownCode("x`y"), "`` x`y ``");
  EXPECT_EQ(Truncate("abcdefgh", 6), "abc...");
  EXPECT_EQ(Truncate("abc", 6), "abc");
  EXPECT_EQ(Truncate("ab\xC3\xA9\xC3\xA9xyz", 6), "ab...");  // never half a character
}

TEST(FormatTest, Tables) {
  Table t({{"NAME", Table::kLeft, true}, {"BYTES", Table::kRight}});
  t.Row({"a<b|c", "1,000"}, "fail");
  t.Row({"(2 others)", "5"});
  EXPECT_EQ(t.Text(), "  NAME        BYTES\n  a<b|c       1,000\n  (2 others)      5\n");
  EXPECT_EQ(t.Markdown(), "| NAME | BYTES |\n| --- | ---: |\n| `a<b\\|c` | 1,000 |\n| (2 others) | 5 |\n");
  std::string html = t.Html();
  EXPECT_NE(html.find("<tr class=\"fail\"><td class=\"name\">a&lt;b|c</td><td class=\"num\">1,000</td></tr>"),
            std::string::npos)
      << html;
  Table wide({{"NAME", Table::kLeft, true}});
  wide.Row({std::string(300, 'x')});
  EXPECT_LT(wide.Text().size(), 2 * Table::kNameWidth);
  EXPECT_EQ(wide.Markdown().find("..."), std::string::npos);  // only plain text is shortened
}

}  // namespace
}  // namespace ws::size
