#include "macro-expander/literal_table.h"

#include <gtest/gtest.h>

#include <optional>

namespace ws::dsl {
namespace {

TEST(LiteralTableTest, ReferencesAreIndicesPerKind) {
  LiteralTable table("wsgen_lits_t");
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.Text("\"Kids\"", {}), "::wsgen_lits_t_s[0]");
  EXPECT_EQ(table.Float("16.0f", {}), "::wsgen_lits_t_f[0]");
  EXPECT_EQ(table.Text("\"Who's watching?\"", {}), "::wsgen_lits_t_s[1]");
  EXPECT_EQ(table.Color("0xFFCC00FFu", {}), "::wsgen_lits_t_c[0]");
  EXPECT_FALSE(table.empty());
}

TEST(LiteralTableTest, DeclarationsNameOnlyTheKindsInUse) {
  LiteralTable table("wsgen_lits_t");
  EXPECT_EQ(table.Declarations(), "");
  table.Text("\"a\"", {});
  EXPECT_EQ(table.Declarations(), "extern \"C\" const char* const wsgen_lits_t_s[];\n");
}

TEST(LiteralTableTest, DefinitionsHoldTheValuesInOrder) {
  LiteralTable table("wsgen_lits_t");
  table.Text("\"a\"", {3, 6});
  table.Text("\"b\\n\"", {10, 15});
  table.Float("1.5f", {20, 23});
  std::string unit = table.Definitions("src/page\n.cpp", "source text");
  EXPECT_EQ(unit.substr(0, unit.find("// wasmship-literals source ")),
            "// The DSL literals of src/page .cpp (written by wasmship-expander).\n"
            "extern \"C\" const char* const wsgen_lits_t_s[];\n"
            "const char* const wsgen_lits_t_s[] = {\n    \"a\",\n    \"b\\n\",\n};\n"
            "extern \"C\" const float wsgen_lits_t_f[];\n"
            "const float wsgen_lits_t_f[] = {\n    1.5f,\n};\n");
  EXPECT_NE(unit.find("// wasmship-literal s 3 6\n// wasmship-literal s 10 15\n// wasmship-literal f 20 23\n"),
            std::string::npos)
      << unit;
}

TEST(LiteralTableTest, PrefixIsStablePerSourceAndDiffersBetweenSources) {
  EXPECT_EQ(LiteralTablePrefix("src/a.cpp"), LiteralTablePrefix("src/a.cpp"));
  EXPECT_NE(LiteralTablePrefix("src/a.cpp"), LiteralTablePrefix("src/b.cpp"));
  EXPECT_EQ(LiteralTablePrefix("src/a.cpp").size(), std::string("wsgen_lits_").size() + 16);
}

// A source with one text, one size and one color, as the generator records them.
struct Page {
  std::string source;
  std::string table;
};

Page MakePage(const std::string& text, const std::string& size, const std::string& color) {
  Page page;
  page.source = "int x; // compose(R\"ui(Text(text: " + text + ", size: " + size + ", color: " + color + "))ui\")\n";
  LiteralTable table(LiteralTablePrefix("src/page.cpp"));
  auto range = [&](const std::string& value) {
    uint32_t at = static_cast<uint32_t>(page.source.find(value));
    return TextRange{at, at + static_cast<uint32_t>(value.size())};
  };
  // Inserted in another order than they appear, as composable arguments are.
  table.Color("color", range(color));
  table.Text("text", range(text));
  table.Float("size", range(size));
  page.table = table.Definitions("src/page.cpp", page.source);
  return page;
}

TEST(PatchLiteralsTest, NewValuesOfTheSameKindsMakeTheNewTable) {
  Page old_page = MakePage("\"Hi\"", "28px", "#FFCC00");
  Page new_page = MakePage("\"Say \\\"hello\\\"\"", "31.5px", "#00FF0080");
  std::optional<std::string> patched = PatchLiterals(old_page.source, old_page.table, new_page.source, "src/page.cpp");
  ASSERT_TRUE(patched);
  EXPECT_NE(patched->find("\"Say \\\"hello\\\"\""), std::string::npos) << *patched;
  EXPECT_NE(patched->find("31.5f"), std::string::npos) << *patched;
  EXPECT_NE(patched->find("0x00FF0080u"), std::string::npos) << *patched;
  // The patched table describes the new source: a second edit patches it again.
  Page third = MakePage("\"Bye\"", "2px", "#000000");
  EXPECT_TRUE(PatchLiterals(new_page.source, *patched, third.source, "src/page.cpp"));
}

TEST(PatchLiteralsTest, AnythingButALiteralValueNeedsAFullExpansion) {
  Page old_page = MakePage("\"Hi\"", "28px", "#FFCC00");
  auto patch = [&](const std::string& source) {
    return PatchLiterals(old_page.source, old_page.table, source, "src/page.cpp").has_value();
  };
  EXPECT_TRUE(patch(old_page.source));
  EXPECT_FALSE(patch(MakePage("\"Hi\"", "28%", "#FFCC00").source)) << "a unit is part of the expansion";
  EXPECT_FALSE(patch(MakePage("28", "28px", "#FFCC00").source)) << "a string became a number";
  EXPECT_FALSE(patch(MakePage("\"Hi\"", "28px", "#FFCC0").source)) << "an invalid color";
  EXPECT_FALSE(patch(MakePage("\"Hi\"", "1" + std::string(40, '0') + "px", "#FFCC00").source)) << "out of range";
  EXPECT_FALSE(patch(MakePage("\"Hi\\q\"", "28px", "#FFCC00").source)) << "an unknown escape";
  EXPECT_FALSE(patch(MakePage("\"Hi\"", "28px", "#FFCC00").source + "int y;\n")) << "C++ changed";
  EXPECT_FALSE(patch("long " + old_page.source)) << "C++ before the block changed";
  std::string spaced = old_page.source;
  spaced.insert(spaced.find("28px"), " ");
  EXPECT_FALSE(patch(spaced)) << "space around a literal is not the literal";
}

TEST(PatchLiteralsTest, ATableThatDoesNotDescribeTheOldSourceIsNotTrusted) {
  Page old_page = MakePage("\"Hi\"", "28px", "#FFCC00");
  Page other = MakePage("\"Ho\"", "28px", "#FFCC00");
  EXPECT_FALSE(PatchLiterals(other.source, old_page.table, other.source, "src/page.cpp"));
  EXPECT_FALSE(PatchLiterals(old_page.source, "// no notes\n", old_page.source, "src/page.cpp"));
  std::string damaged = old_page.table;
  damaged.replace(damaged.find("// wasmship-literal s"), 21, "// wasmship-literal s 99999 1");
  EXPECT_FALSE(PatchLiterals(old_page.source, damaged, old_page.source, "src/page.cpp"));
}

}  // namespace
}  // namespace ws::dsl
