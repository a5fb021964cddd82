// A compose block of 300 elements: the expander splits it into several
// functions (so its compile time stays linear), and the app still builds
// every element, in order.
#include <gtest/gtest.h>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

// 300 elements: the root Column, 99 Rows of two, and 101 Texts. Every {expr}
// prints its text when it first runs, which is when its element is built.
std::string LargeBlockSource(std::string& expected_output) {
  std::string block;
  int elements = 1;
  for (int i = 0; elements < 299; ++i) {
    std::string label = "e" + std::to_string(elements + 1);
    if (i % 3 == 0) {
      block += "      Row(gap: 2) { Text(text: {Say(\"" + label + "\")}, size: 20) }\n";
      elements += 2;
    } else {
      block += "      Text(text: {Say(\"" + label + "\")}, color: #FFCC00)\n";
      elements += 1;
    }
    expected_output += label + "\n";
  }
  block += "      Text(text: {Say(\"last\")})\n";
  expected_output += "last\n";
  return R"(#include <cstdio>
#include <string>
#include <wasmship/ui.hpp>

std::string Say(const char* text) {
  std::printf("%s\n", text);
  return text;
}

UI_COMPOSABLE ws::View Root() {
  return compose(R"ui(
    Column(gap: 4) {
)" + block + R"(    }
  )ui");
}

UI_APP(Root)
)";
}

TEST(DslScaleTest, LargeBlockIsSplitAndBuildsEveryElementInOrder) {
  ProjectSandbox project;
  std::string expected;
  project.Write("wasmship.yaml", "app: { name: scale, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  project.Write("src/main.cpp", LargeBlockSource(expected));
  RunResult expand = project.Wasmship({"expand", "src/main.cpp"});
  ASSERT_EQ(expand.exit_code, 0) << expand.err;
  size_t functions = 0;
  for (size_t at = 0; (at = expand.out.find("__attribute__((noinline))", at)) != std::string::npos; ++at) ++functions;
  EXPECT_GE(functions, 300u / 32);
  RunResult build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  RunResult run = project.Wasmship({"run"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, expected);
}

}  // namespace
}  // namespace ws::e2e
