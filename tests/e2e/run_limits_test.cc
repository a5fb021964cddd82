// `run`'s limits mean the same on both engines: the watchdog is wall-clock
// time, and a runaway recursion is "stack-exhausted".
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void CopyMisbehavingApp(ProjectSandbox& project) {
  fs::copy(SourcePath("tests/e2e/apps/misbehaving"), project.dir(), fs::copy_options::recursive);
  project.Write("src/main.cpp", project.Read("src/main.cpp"));  // marks the source with the test's name
}

// Runs the app on `engine` with `keys`; the aot module is compiled by an
// earlier run, so that `seconds` is the run's own time.
json RunOn(ProjectSandbox& project, const std::string& engine, const std::string& keys, RunResult& run,
           double& seconds) {
  if (engine == "aot") EXPECT_EQ(project.Wasmship({"run", "--engine", "aot", "--frames", "1"}).exit_code, 0);
  auto start = std::chrono::steady_clock::now();
  run = project.Wasmship({"run", "--engine", engine, "--keys", keys, "--format", "json"},
                         {"WASMSHIP_WATCHDOG_MS=1000"});
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return json::parse(run.out, nullptr, /*allow_exceptions=*/false);
}

TEST(RunLimitsTest, WatchdogIsWallClockTimeOnBothEngines) {
  ProjectSandbox project;
  CopyMisbehavingApp(project);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  for (const char* engine : {"interp", "aot"}) {
    RunResult run;
    double seconds = 0;
    json report = RunOn(project, engine, "right,select", run, seconds);
    EXPECT_EQ(run.exit_code, 4) << engine << run.err;
    ASSERT_TRUE(report.is_object()) << engine << run.out;
    ASSERT_EQ(report["traps"].size(), 1u) << engine;
    EXPECT_EQ(report["traps"][0]["kind"], "watchdog") << engine;
    ExpectContains(report["traps"][0]["message"].get<std::string>(), "ran longer than 1000 ms");
    // The loop runs for a second, not for an instruction budget's worth.
    EXPECT_LT(seconds, 8) << engine;
  }
}

TEST(RunLimitsTest, StackOverflowIsTheSameTrapOnBothEngines) {
  ProjectSandbox project;
  CopyMisbehavingApp(project);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  for (const char* engine : {"interp", "aot"}) {
    RunResult run;
    double seconds = 0;
    json report = RunOn(project, engine, "right,right,right,select", run, seconds);
    EXPECT_EQ(run.exit_code, 4) << engine << run.err;
    ASSERT_TRUE(report.is_object()) << engine << run.out;
    ASSERT_EQ(report["traps"].size(), 1u) << engine;
    EXPECT_EQ(report["traps"][0]["kind"], "stack-exhausted") << engine << run.err;
    ExpectContains(run.err, "stack-exhausted (call stack exhausted)");
    if (std::string(engine) == "interp") {
      ExpectContains(report["traps"][0]["stack"][0].get<std::string>(), "RecurseForever(int)");
    }
  }
}

}  // namespace
}  // namespace ws::e2e
