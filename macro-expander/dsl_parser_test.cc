#include "macro-expander/dsl_parser.h"

#include <gtest/gtest.h>

namespace ws::dsl {
namespace {

TEST(DslParserTest, ElementsPropsAndChildren) {
  ParseResult r = Parse(R"(
    Column(width: 240, gap: 12, on_select: {pick()},) {
      Text(text: "hi")
      for item in {items()} key {item.id} { Text(text: {item.name}) }
      if {ready()} { Text(text: "a") } else if {busy()} { Text() } else { Text(text: "c") }
    }
  )");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].message;
  ASSERT_TRUE(r.root);
  const Element& root = *r.root;
  EXPECT_EQ(root.name, "Column");
  ASSERT_EQ(root.props.size(), 3u);
  EXPECT_EQ(root.props[2].value.kind, ValueKind::kCode);
  EXPECT_EQ(root.props[2].value.text, "pick()");
  ASSERT_EQ(root.children.size(), 3u);
  const ForNode& f = std::get<ForNode>(root.children[1]);
  EXPECT_EQ(f.variable, "item");
  EXPECT_EQ(f.range.text, "items()");
  EXPECT_EQ(f.key->text, "item.id");
  const IfNode& i = std::get<IfNode>(root.children[2]);
  EXPECT_EQ(i.condition.text, "ready()");
  ASSERT_EQ(i.else_children.size(), 1u);
  const IfNode& else_if = std::get<IfNode>(i.else_children[0]);
  EXPECT_TRUE(else_if.has_else);
}

TEST(DslParserTest, CodeRangeIsInsideTheBraces) {
  std::string text = "Text(text: {name})";
  ParseResult r = Parse(text);
  ASSERT_TRUE(r.root);
  const Value& v = r.root->props[0].value;
  EXPECT_EQ(text.substr(v.code.begin, v.code.end - v.code.begin), "name");
}

TEST(DslParserTest, EmptyBlockAndExtraRoots) {
  EXPECT_EQ(Parse("  // nothing\n").errors.at(0).message, "empty compose block");
  EXPECT_EQ(Parse("Text() Text()").errors.at(0).message, "a compose block holds exactly one root element");
}

TEST(DslParserTest, ReportsSeveralErrorsInOneRun) {
  ParseResult r = Parse("Column(width 240, gap: , size: \"x) {\n  Text(\n}");
  ASSERT_GE(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].message, "expected a prop such as width: 240");
}

TEST(DslParserTest, UnbalancedBraces) {
  ParseResult open = Parse("Column() {\n  Text()\n");
  ASSERT_FALSE(open.errors.empty());
  EXPECT_EQ(open.errors[0].message, "unbalanced braces: this '{' is never closed");
  EXPECT_EQ(open.errors[0].range.begin, 9u);
  ParseResult code = Parse("Text(text: {name)");
  EXPECT_EQ(code.errors.at(0).message, "unbalanced braces: this '{' is never closed");
}

TEST(DslParserTest, InvalidUtf8IsReported) {
  ParseResult r = Parse("Text(text: \"caf\xe9\")");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "the compose block is not valid UTF-8 here");
  EXPECT_EQ(r.errors[0].range.begin, 15u);
}

TEST(DslParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "Column() {";
  ParseResult r = Parse(text);
  EXPECT_FALSE(r.errors.empty());
}

}  // namespace
}  // namespace ws::dsl
