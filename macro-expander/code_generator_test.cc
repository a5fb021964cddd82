#include "macro-expander/code_generator.h"

#include <gtest/gtest.h>

#include "macro-expander/dsl_parser.h"
#include "macro-expander/fake_resolver.h"

namespace ws::dsl {
namespace {

// The block starts on line 3, column 20 of a file "screen.cpp".
std::string Generate(const std::string& block) {
  std::string file = "line one\nline two\n                   " + block + "\n";
  ParseResult parsed = Parse(block);
  EXPECT_TRUE(parsed.errors.empty());
  testing::FakeResolver resolver;
  SourceMap map(file, 37, "screen.cpp");
  return GenerateCompose(*parsed.root, resolver, map, 9, 5);
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(CodeGeneratorTest, LiteralsBecomeTypedAssignments) {
  std::string out = Generate("Column(width: 50%, gap: 4, align: Center, background: #112233, transition: 1.5s)");
  EXPECT_TRUE(Has(out, "::ws::ColumnProps wsgen_p1;")) << out;
  EXPECT_TRUE(Has(out, "wsgen_p1.width = ::ws::Length::Percent(50.0f);")) << out;
  EXPECT_TRUE(Has(out, "wsgen_p1.gap = 4.0f;")) << out;
  EXPECT_TRUE(Has(out, "wsgen_p1.align = ::ws::Align::Center;")) << out;
  EXPECT_TRUE(Has(out, "wsgen_p1.background = ::ws::Color(0x112233FFu);")) << out;
  EXPECT_TRUE(Has(out, "wsgen_p1.transition = ::ws::Duration(1.5f * 1000.0f);")) << out;
  EXPECT_EQ(out.rfind("[&]() -> ::ws::View {", 0), 0u) << out;
}

TEST(CodeGeneratorTest, UserCodeKeepsItsLineAndColumn) {
  std::string out = Generate("Column(on_select: {go()}) { Text(text: {name}) }");
  // "go()" is at column 20 + 19 = 39 of line 3.
  EXPECT_TRUE(Has(out, "#line 3 \"screen.cpp\"\n" + std::string(38, ' ') + "go(); };")) << out;
  EXPECT_TRUE(Has(out, "::ws::Bind(wsgen_e2, &::ws::TextProps::text, [=]() -> ::std::string { return")) << out;
  // The rest of the file resumes where the call ended.
  EXPECT_TRUE(out.size() > 20 && out.substr(out.size() - 25) == "#line 9 \"screen.cpp\"\n    ") << out;
}

TEST(CodeGeneratorTest, ControlFlowAndComposables) {
  std::string out = Generate(
      "Column() { for t in {titles} key {t.id} { Tile(title: {t.name}, on_pick: {pick(t)}) } "
      "if {a} { Text() } else { Text(size: 2) } }");
  EXPECT_TRUE(Has(out, "::ws::For([=]() { return")) << out;
  EXPECT_TRUE(Has(out, "[=](const auto& t) { return")) << out;
  EXPECT_TRUE(Has(out, "::ws::View wsgen_e2 = ::Tile(")) << out;
  EXPECT_TRUE(Has(out, "false,")) << out;  // `wide` skipped: its default argument
  EXPECT_TRUE(Has(out, "::ws::If([=]() -> bool { return")) << out;
  EXPECT_TRUE(Has(out, "}, [=]() {")) << out;
}

}  // namespace
}  // namespace ws::dsl
