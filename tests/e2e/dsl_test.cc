// The compose DSL through `wasmship build` and `wasmship expand`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

const char* kLiterals = R"(#include <wasmship/ui.hpp>
#include "title.h"

UI_COMPOSABLE ws::View Root() {
  return compose(R"ui(
    Column(gap: 12) {
      Text(text: "first words", color: #FFCC00)
      Title(text: "title", size: 12.5)
    }
  )ui");
}

UI_APP(Root)
)";

std::string TitleHeader(const char* size_type) {
  return std::string(R"(#pragma once
#include <cstdio>
#include <string>
#include <wasmship/ui.hpp>

UI_COMPOSABLE inline ws::View Title(const std::string& text, )") +
         size_type + R"( size) {
  std::printf("title %s %g\n", text.c_str(), static_cast<double>(size));
  return ws::Text({.text = text});
}
)";
}

std::string Status(const nlohmann::json& report, const std::string& source) {
  for (const nlohmann::json& unit : report["cache"]["units"]) {
    if (unit["source"] == source) return unit["status"];
  }
  return "absent";
}

// Debug builds keep DSL literals in a table of their own: editing only
// literals neither runs the expander nor recompiles the expansion, and the
// new values reach the app. A header edit that changes what a literal means
// is never patched over: the file is expanded again (and here refused).
TEST(DslTest, LiteralEditsPatchTheLiteralTableOnly) {
  ProjectSandbox project;
  WriteProject(project, kLiterals);
  project.Write("src/title.h", TitleHeader("float"));
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(project.Wasmship({"run"}).out, "title title 12.5\n");

  std::string edited = kLiterals;
  for (auto [from, to] : {std::pair<std::string, std::string>{"first words", "other words"},
                          {"\"title\"", "\"big title\""}, {"12.5", "14.25"}, {"#FFCC00", "#00FF00"}}) {
    edited.replace(edited.find(from), from.size(), to);
  }
  project.Write("src/main.cpp", edited);
  RunResult build = project.Wasmship({"-v", "build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(build.err.find("wasmship-expander"), std::string::npos) << build.err;
  nlohmann::json report = nlohmann::json::parse(project.Read("dist/debug/report.json"));
  EXPECT_EQ(Status(report, "src/main.cpp"), "hit");
  EXPECT_EQ(Status(report, "src/main.cpp (literals)"), "miss");
  EXPECT_EQ(project.Wasmship({"run"}).out, "title big title 14.25\n");

  project.Write("src/title.h", TitleHeader("int"));
  RunResult refused = project.Wasmship({"build"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("src/main.cpp:8:"), std::string::npos) << refused.err;
  project.Write("src/title.h", TitleHeader("double"));
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(project.Wasmship({"run"}).out, "title big title 14.25\n");
}

}  // namespace
}  // namespace ws::e2e
