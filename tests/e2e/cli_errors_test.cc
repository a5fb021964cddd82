// How the CLI reports failures (issue 11, item 6): every command the same
// way, and a command asked for JSON answers a failure with JSON on stdout.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

using nlohmann::json;

// The JSON error object, or a failed expectation naming what came instead.
json ErrorOf(const RunResult& result) {
  json parsed = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(parsed.is_object() && parsed.contains("error")) << "stdout: " << result.out;
  return parsed.is_object() ? parsed["error"] : json();
}

TEST(CliErrorsTest, JsonCommandsAnswerAFailureWithAJsonErrorOnStdout) {
  ProjectSandbox project;
  RunResult size = project.Wasmship({"size", "missing.wasm", "--format", "json"});
  EXPECT_EQ(size.exit_code, 2);
  json error = ErrorOf(size);
  EXPECT_EQ(error["exit_code"], 2);
  ASSERT_EQ(error["diagnostics"].size(), 1u);
  EXPECT_EQ(error["diagnostics"][0]["level"], "error");
  EXPECT_NE(error["diagnostics"][0]["message"].get<std::string>().find("missing.wasm"), std::string::npos);
  ExpectContains(size.err, "error: ");  // and the same on stderr, for a person

  project.Write("bad.wsb", "WSB1 not really");
  RunResult inspect = project.Wasmship({"bundle", "inspect", "bad.wsb", "--format", "json"});
  EXPECT_EQ(inspect.exit_code, 5);
  EXPECT_EQ(ErrorOf(inspect)["exit_code"], 5);

  RunResult outside = project.Wasmship({"run", "--format", "json"});  // no wasmship.yaml here
  EXPECT_EQ(outside.exit_code, 2);
  EXPECT_EQ(ErrorOf(outside)["exit_code"], 2);

  project.CopyExample("hello");
  RunResult run = project.Wasmship({"run", "--bundle", "bad.wsb", "--format", "json"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_EQ(ErrorOf(run)["exit_code"], 5);
}

TEST(CliErrorsTest, TextFailuresPrintNothingOnStdoutAndAFormatNotOfferedIsAUsageError) {
  ProjectSandbox project;
  RunResult size = project.Wasmship({"size", "missing.wasm"});
  EXPECT_EQ(size.exit_code, 2);
  EXPECT_EQ(size.out, "");
  ExpectContains(size.err, "wasmship: error: ");
  RunResult html = project.Wasmship({"report", "diff", "a.json", "b.json", "--format", "html"});
  EXPECT_EQ(html.exit_code, 2);
  ExpectContains(html.err, "--format");
}

}  // namespace
}  // namespace ws::e2e
