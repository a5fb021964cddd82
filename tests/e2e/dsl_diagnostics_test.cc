// Where `wasmship build` reports problems in compose blocks: literals out of
// their prop's range as DSL errors, C++ errors inside {...} at the user's
// line and column with the user's text echoed, never generated code.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

void WriteProject(ProjectSandbox& project, const std::string& main) {
  project.Write("wasmship.yaml", "app: { name: diag, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  project.Write("src/main.cpp", main);
}

// The line after the first one containing `part`.
std::string LineAfter(const std::string& text, const std::string& part) {
  size_t at = text.find(part);
  if (at == std::string::npos) return "";
  size_t begin = text.find('\n', at);
  if (begin == std::string::npos) return "";
  size_t end = text.find('\n', begin + 1);
  return text.substr(begin + 1, end == std::string::npos ? std::string::npos : end - begin - 1);
}

TEST(DslDiagnosticsTest, OutOfRangeLiteralIsADslErrorAtTheLiteral) {
  ProjectSandbox project;
  WriteProject(project, R"(#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Root() {
  return compose(R"ui(
    Grid(columns: 99999999999) { Text(text: "a") }
  )ui");
}

UI_APP(Root)
)");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1) << build.err;
  ExpectContains(build.err,
                 "src/main.cpp:5:19: error: 'columns' on Grid takes a whole number from -2147483648 to 2147483647 "
                 "(int); 99999999999 is out of range");
  ExpectContains(build.err, "    5 |     Grid(columns: 99999999999) {");
  // The expander stopped it: nothing was compiled with the wrapped value.
  EXPECT_EQ(build.err.find("1215752191"), std::string::npos) << build.err;
  EXPECT_EQ(build.err.find("warning:"), std::string::npos) << build.err;
}

TEST(DslDiagnosticsTest, CppErrorInsideBracesShowsTheUsersLineAndText) {
  ProjectSandbox project;
  WriteProject(project, R"(#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Root() {
  auto count = ws::signal(0);
  return compose(R"ui(
    Column(gap: 12,
           width: 50%) {
      Text(size: 20, text: {count() * 2})
    }
  )ui");
}

UI_APP(Root)
)");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1) << build.err;
  // Line 8, column 29: where `count() * 2` stands in the user's file.
  ExpectContains(build.err, "src/main.cpp:8:29: error: no viable conversion from returned value of type 'int'");
  // clang echoes that line: the user's expression at its own columns, and
  // nothing the expander generated around it; the caret under it.
  std::string echoed = LineAfter(build.err, "src/main.cpp:8:29: error:");
  EXPECT_EQ(echoed, "    8 |                             count() * 2") << build.err;
  EXPECT_EQ(LineAfter(build.err, echoed), "      |                             ^~~~~~~~~~~") << build.err;
  for (const char* generated : {"wsgen_", "::ws::Bind", "});"}) {
    EXPECT_EQ(build.err.find(generated), std::string::npos) << generated << " in:\n" << build.err;
  }
}

}  // namespace
}  // namespace ws::e2e
