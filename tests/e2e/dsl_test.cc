// The compose DSL through `wasmship build` and `wasmship expand`.
#include <gtest/gtest.h>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

void WriteProject(ProjectSandbox& project, const std::string& main) {
  project.Write("wasmship.yaml", "app: { name: dsl, version: 1.0.0 }\nsources: [src/*.cpp]\ninclude: [src]\n");
  project.Write("src/main.cpp", main);
}

const char* kCounter = R"(#include <string>
#include <wasmship/ui.hpp>
#include "label.h"

UI_COMPOSABLE ws::View Root() {
  auto count = ws::signal(0);
  return compose(R"ui(
    Column(gap: 12, focusable: true, on_select: {count.update([](int n) { return n + 1; })}) {
      Label(text: {"count " + std::to_string(count())})
    }
  )ui");
}

UI_APP(Root)
)";

const char* kLabel = R"(#pragma once
#include <string>
#include <wasmship/ui.hpp>
#include <cstdio>

UI_COMPOSABLE inline ws::View Label(const std::string& text) {
  std::printf("label %s\n", text.c_str());
  return ws::Text({.text = text});
}
)";

TEST(DslTest, BuildsRunsAndCachesTheExpansion) {
  ProjectSandbox project;
  WriteProject(project, kCounter);
  project.Write("src/label.h", kLabel);
  RunResult build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ExpectContains(build.err, "expand src/main.cpp");
  RunResult run = project.Wasmship({"run", "--keys", "select,select"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "label count 0\n");  // composable arguments are evaluated once
  RunResult again = project.Wasmship({"build"});
  EXPECT_EQ(again.err.find("expand "), std::string::npos) << again.err;
  // The expansion depends on the headers the composable comes from.
  project.Write("src/label.h", std::string(kLabel) + "// changed\n");
  RunResult header = project.Wasmship({"build"});
  ASSERT_EQ(header.exit_code, 0) << header.err;
  ExpectContains(header.err, "expand src/main.cpp");
}

TEST(DslTest, TypeErrorInsideBracesIsReportedAtTheDslLine) {
  ProjectSandbox project;
  WriteProject(project, R"(#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Root() {
  auto count = ws::signal(0);
  return compose(R"ui(
    Column(gap: 12) {
      Text(text: {count() * 2})
    }
  )ui");
}

UI_APP(Root)
)");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1);
  // Line 7, column 19: where `count() * 2` stands in the original file.
  ExpectContains(build.err, "src/main.cpp:7:19: error: no viable conversion from returned value of type 'int'");
}

TEST(DslTest, DslErrorsHaveLocationsCaretsAndSuggestions) {
  ProjectSandbox project;
  WriteProject(project, R"(#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Root() {
  return compose(R"ui(
    Column(widht: 240) {
      Txt(text: "a")
    }
  )ui");
}

UI_APP(Root)
)");
  RunResult build = project.Wasmship({"build"});
  EXPECT_EQ(build.exit_code, 1);
  ExpectContains(build.err, "src/main.cpp:5:12: error: unknown prop 'widht' on Column; did you mean 'width'?");
  ExpectContains(build.err, "    5 |     Column(widht: 240) {");
  ExpectContains(build.err, "src/main.cpp:6:7: error: unknown element 'Txt'; did you mean 'Text'?");
  EXPECT_FALSE(project.Exists("dist/debug/dsl-debug.wasm"));
}

TEST(DslTest, ExpandPrintsTheExpansion) {
  ProjectSandbox project;
  WriteProject(project, kCounter);
  project.Write("src/label.h", kLabel);
  RunResult expand = project.Wasmship({"expand", "src/main.cpp"});
  ASSERT_EQ(expand.exit_code, 0) << expand.err;
  EXPECT_EQ(expand.out.rfind("#line 1 \"src/main.cpp\"\n", 0), 0u);
  ExpectContains(expand.out, "::ws::ColumnProps wsgen_p1;");
  ExpectContains(expand.out, "::Label(");
  EXPECT_EQ(expand.out.find("compose(R\"ui("), std::string::npos);
  RunResult missing = project.Wasmship({"expand", "src/nothere.cpp"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectContains(missing.err, "not a source of this project");
}

}  // namespace
}  // namespace ws::e2e
