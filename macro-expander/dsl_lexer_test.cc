#include "macro-expander/dsl_lexer.h"

#include <gtest/gtest.h>

namespace ws::dsl {
namespace {

std::vector<Token> All(std::string_view text) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  for (Token t = lexer.Next(); t.kind != TokenKind::kEnd; t = lexer.Next()) tokens.push_back(t);
  return tokens;
}

TEST(DslLexerTest, TokensWithUnitsAndRanges) {
  std::vector<Token> t = All("Column(width: 50%, gap: 12px) // note\n{ Text(size: -1.5, at: 150ms) }");
  ASSERT_EQ(t.size(), 22u);
  EXPECT_EQ(t[0].kind, TokenKind::kIdent);
  EXPECT_EQ(t[4].text, "50");
  EXPECT_EQ(t[4].unit, "%");
  EXPECT_EQ(t[4].range.begin, 14u);
  EXPECT_EQ(t[4].range.end, 17u);
  EXPECT_EQ(t[8].unit, "px");
  EXPECT_EQ(t[10].kind, TokenKind::kLBrace);  // the comment was skipped
  EXPECT_EQ(t[15].text, "-1.5");
  EXPECT_EQ(t[19].unit, "ms");
}

TEST(DslLexerTest, StringsAndColors) {
  std::vector<Token> t = All(R"("a \"quoted\" line\n" #FFCC00 #11223344)");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "a \"quoted\" line\n");
  EXPECT_EQ(t[1].kind, TokenKind::kColor);
  EXPECT_EQ(t[1].text, "FFCC00");
  EXPECT_EQ(t[2].text, "11223344");
}

TEST(DslLexerTest, Errors) {
  EXPECT_EQ(All("\"never closed")[0].kind, TokenKind::kError);
  EXPECT_EQ(All("\"never closed")[0].text, "unterminated string: this '\"' is never closed");
  EXPECT_EQ(All("#FFF")[0].kind, TokenKind::kError);
  EXPECT_EQ(All("10em")[0].text, "unknown unit 'em'; sizes take px or %, durations ms or s");
  EXPECT_EQ(All("@")[0].text, "unexpected character '@'");
}

TEST(DslLexerTest, CodeBlocksBalanceBracesAndSkipStrings) {
  Lexer lexer("{ f(\"}\", '}', [] { return 1; }) /* } */ // }\n } rest");
  Token code = lexer.Code();
  ASSERT_EQ(code.kind, TokenKind::kLBrace);
  EXPECT_EQ(code.text, " f(\"}\", '}', [] { return 1; }) /* } */ // }\n ");
  EXPECT_EQ(lexer.Next().text, "rest");
  Lexer open("{ f( { }");
  Token bad = open.Code();
  EXPECT_EQ(bad.kind, TokenKind::kError);
  EXPECT_EQ(bad.text, "unbalanced braces: this '{' is never closed");
  EXPECT_EQ(bad.range.begin, 0u);
}

TEST(DslLexerTest, Utf8Validation) {
  EXPECT_EQ(FindInvalidUtf8("plain \xc3\xa9 \xe2\x98\x85 \xf0\x9f\x93\xba"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xc0\x80"), 0u);      // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);  // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xe2\x98"), 0u);       // truncated
}

}  // namespace
}  // namespace ws::dsl
