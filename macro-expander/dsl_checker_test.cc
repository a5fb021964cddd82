#include "macro-expander/dsl_checker.h"

#include <gtest/gtest.h>

#include "macro-expander/fake_resolver.h"

namespace ws::dsl {
namespace {

std::vector<std::string> Problems(const std::string& text, const std::string& composable = "Screen") {
  ParseResult parsed = Parse(text);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  testing::FakeResolver resolver;
  std::vector<std::string> out;
  for (const DslError& e : Check(*parsed.root, composable, resolver)) out.push_back(e.message);
  return out;
}

TEST(DslCheckerTest, ValidBlockHasNoProblems) {
  EXPECT_TRUE(Problems("Column(width: 50%, gap: 4, focusable: true, align: Center, background: #112233, "
                       "transition: 1.5s, on_select: {go()}) { Tile(title: \"x\", on_pick: {go()}) }")
                  .empty());
}

TEST(DslCheckerTest, UnknownElementsAndProps) {
  EXPECT_EQ(Problems("Colum()"), std::vector<std::string>{"unknown element 'Colum'; did you mean 'Column'?"});
  EXPECT_EQ(Problems("Column(widht: 1)"),
            std::vector<std::string>{"unknown prop 'widht' on Column; did you mean 'width'?"});
}

TEST(DslCheckerTest, DuplicateAndMissingRequiredProps) {
  EXPECT_EQ(Problems("Column(gap: 1, gap: 2)"), std::vector<std::string>{"duplicate prop 'gap' on Column"});
  EXPECT_EQ(Problems("Tile(wide: true)"), std::vector<std::string>{"missing required prop 'title' on Tile"});
}

TEST(DslCheckerTest, LiteralsOfTheWrongKind) {
  std::vector<std::string> p = Problems(
      "Column(width: \"wide\", gap: 4px, focusable: yes, align: Middle, background: 12, transition: 3px, "
      "on_select: 1)");
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0], "'width' on Column takes a size such as 240, 240px or 50%, not a string");
  EXPECT_EQ(p[1], "'gap' on Column takes a number, not a number in px");
  EXPECT_EQ(p[2], "'focusable' on Column takes true or false, not a name");
  EXPECT_EQ(p[3], "'Middle' is not a value of 'align' on Column");
  EXPECT_EQ(p[4], "'background' on Column takes a color such as #FFCC00 or #FFCC0080, not a number");
  EXPECT_EQ(p[5], "'transition' on Column takes a duration such as 150ms or 1.5s, not a number in px");
  EXPECT_EQ(p[6], "'on_select' on Column takes a handler in braces, e.g. {count.set(1)}, not a number");
}

TEST(DslCheckerTest, ChildrenOnLeaves) {
  EXPECT_EQ(Problems("Text() { Text() }"), std::vector<std::string>{"'Text' takes no children"});
  EXPECT_EQ(Problems("Tile(title: \"a\") { Text() }"), std::vector<std::string>{"'Tile' takes no children"});
}

TEST(DslCheckerTest, RecursionOnlyUnderIfOrFor) {
  EXPECT_EQ(Problems("Column() { Tile(title: \"a\") }", "Tile"),
            std::vector<std::string>{"'Tile' uses itself unconditionally: it could never finish building"});
  EXPECT_TRUE(Problems("Column() { if {depth > 0} { Tile(title: \"a\") } }", "Tile").empty());
  EXPECT_TRUE(Problems("Column() { for c in {kids} { Tile(title: \"a\") } }", "Tile").empty());
}

}  // namespace
}  // namespace ws::dsl
