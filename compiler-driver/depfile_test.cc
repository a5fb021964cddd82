#include "compiler-driver/depfile.h"

#include <gtest/gtest.h>

namespace ws {
namespace {

TEST(DepfileTest, ParsesContinuationsAndEscapes) {
  auto deps = ParseDepfile("obj/a.o: src/a.cpp \\\n  src/my\\ header.h /usr/include/x.h \\\n  src/a.h\n");
  ASSERT_TRUE(deps);
  EXPECT_EQ(*deps, (std::vector<std::string>{"src/a.cpp", "src/my header.h", "/usr/include/x.h",
                                              "src/a.h"}));
}

TEST(DepfileTest, StopsAfterFirstRuleAndDropsDuplicates) {
  auto deps = ParseDepfile("a.o: a.cpp a.h a.h\n\na.h:\n");
  ASSERT_TRUE(deps);
  EXPECT_EQ(*deps, (std::vector<std::string>{"a.cpp", "a.h"}));
}

TEST(DepfileTest, RejectsGarbage) {
  EXPECT_FALSE(ParseDepfile("no rule here"));
}

}  // namespace
}  // namespace ws
