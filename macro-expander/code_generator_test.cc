#include "macro-expander/code_generator.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

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
  // On a line of its own: clang echoes the user's code, nothing generated.
  EXPECT_TRUE(Has(out, "#line 3 \"screen.cpp\"\n" + std::string(38, ' ') + "go();\n#line 3")) << out;
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

// Every generated line names its DSL line: a literal prop's assignment on
// the line after its element's still points at the prop (#line per prop).
TEST(CodeGeneratorTest, EveryPropLineIsAttributedToItsDslLine) {
  std::string out = Generate("Column(gap: 4,\n  width: 50%)");
  EXPECT_TRUE(Has(out, "#line 3 \"screen.cpp\"\n  wsgen_p1.gap = 4.0f;")) << out;
  EXPECT_TRUE(Has(out, "\n  wsgen_p1.width = ::ws::Length::Percent(50.0f);\n#line 3 \"screen.cpp\"\n  [[maybe_unused]]"))
      << out;
  // Two props on one line: the second still maps to it.
  std::string same = Generate("Column(gap: 4, width: 50%)");
  EXPECT_TRUE(Has(same, "#line 3 \"screen.cpp\"\n  wsgen_p1.width = ")) << same;
}

// The largest number of element declarations directly inside one brace
// pair (each generated function or lambda body).
size_t MostElementsInOneFunction(const std::string& out) {
  static const std::regex kDeclaration(R"(^\s*::ws::\w+Props wsgen_p\d+;$)");
  std::vector<size_t> open = {0};
  size_t most = 0;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, kDeclaration)) ++open.back();
    for (char c : line) {
      if (c == '{') open.push_back(0);
      if (c == '}' && open.size() > 1) {
        most = std::max(most, open.back());
        open.pop_back();
      }
    }
  }
  return std::max(most, open.back());
}

TEST(CodeGeneratorTest, LargeBlocksAreSplitIntoFunctionsOfBoundedSize) {
  std::string block = "Column() {\n";
  for (int i = 0; i < 1000; ++i) {
    block += i % 10 == 0 ? "  Column(gap: 1) { Text(text: \"a\") Text(text: {name}) }\n" : "  Text(text: \"t\")\n";
  }
  block += "}";
  std::string out = Generate(block);
  EXPECT_NE(out.find("[&]() __attribute__((noinline)) {"), std::string::npos);
  EXPECT_LE(MostElementsInOneFunction(out), 32u);
  // A small block stays one function.
  EXPECT_EQ(Generate("Column() { Text() Text() }").find("noinline"), std::string::npos);
  // Every element is still there, in order: the last one last.
  EXPECT_EQ(out.find("wsgen_p1202;"), std::string::npos);
  EXPECT_NE(out.find("::ws::TextProps wsgen_p1201;"), std::string::npos);
  // 40 siblings: functions of 32 and 8.
  std::string flat = "Column() {";
  for (int i = 0; i < 40; ++i) flat += " Text()";
  EXPECT_EQ(MostElementsInOneFunction(Generate(flat + " }")), 32u);
}

}  // namespace
}  // namespace ws::dsl
