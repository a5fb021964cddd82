#include "macro-expander/literal_table.h"

#include <gtest/gtest.h>

namespace ws::dsl {
namespace {

TEST(LiteralTableTest, ReferencesAreIndicesPerKind) {
  LiteralTable table("wsgen_lits_t");
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.Text("\"Kids\""), "::wsgen_lits_t_s[0]");
  EXPECT_EQ(table.Float("16.0f"), "::wsgen_lits_t_f[0]");
  EXPECT_EQ(table.Text("\"Who's watching?\""), "::wsgen_lits_t_s[1]");
  EXPECT_EQ(table.Color("0xFFCC00FFu"), "::wsgen_lits_t_c[0]");
  EXPECT_FALSE(table.empty());
}

TEST(LiteralTableTest, DeclarationsNameOnlyTheKindsInUse) {
  LiteralTable table("wsgen_lits_t");
  EXPECT_EQ(table.Declarations(), "");
  table.Text("\"a\"");
  EXPECT_EQ(table.Declarations(), "extern \"C\" const char* const wsgen_lits_t_s[];\n");
}

TEST(LiteralTableTest, DefinitionsHoldTheValuesInOrder) {
  LiteralTable table("wsgen_lits_t");
  table.Text("\"a\"");
  table.Text("\"b\\n\"");
  table.Float("1.5f");
  std::string unit = table.Definitions("src/page\n.cpp");
  EXPECT_EQ(unit,
            "// The DSL literals of src/page .cpp (written by wasmship-expander).\n"
            "extern \"C\" const char* const wsgen_lits_t_s[];\n"
            "const char* const wsgen_lits_t_s[] = {\n    \"a\",\n    \"b\\n\",\n};\n"
            "extern \"C\" const float wsgen_lits_t_f[];\n"
            "const float wsgen_lits_t_f[] = {\n    1.5f,\n};\n");
}

TEST(LiteralTableTest, PrefixIsStablePerSourceAndDiffersBetweenSources) {
  EXPECT_EQ(LiteralTablePrefix("src/a.cpp"), LiteralTablePrefix("src/a.cpp"));
  EXPECT_NE(LiteralTablePrefix("src/a.cpp"), LiteralTablePrefix("src/b.cpp"));
  EXPECT_EQ(LiteralTablePrefix("src/a.cpp").size(), std::string("wsgen_lits_").size() + 16);
}

}  // namespace
}  // namespace ws::dsl
