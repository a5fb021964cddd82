// `wasmship report diff`: what counts as a regression (issue 10, item 15):
// size growth under --threshold and build timings (unless --timings) are
// shown, never a red verdict.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

using nlohmann::json;

// Two reports: HEAD's first bundle and module +21 bytes, total time +2 s.
void WriteReports(ProjectSandbox& project) {
  json base = json::parse(project.Read("report.json"));
  json head = base;
  head["variants"][0]["bundle"]["bytes"] = base["variants"][0]["bundle"]["bytes"].get<uint64_t>() + 21;
  head["variants"][0]["module"]["bytes"] = base["variants"][0]["module"]["bytes"].get<uint64_t>() + 21;
  head["timings_ms"]["total"] = base["timings_ms"]["total"].get<double>() + 2000;
  project.Write("base.json", base.dump(2));
  project.Write("head.json", head.dump(2));
}

TEST(ReportDiffTest, SmallGrowthAndTimingNoiseAreNoRegression) {
  ProjectSandbox project;
  project.Write("report.json",
                RunCommand({"cat", SourcePath("size-reports/testdata/report.json")}, project.dir()).out);
  WriteReports(project);
  RunResult diff = project.Wasmship({"report", "diff", "base.json", "head.json", "--format", "text"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  ExpectContains(diff.out, "+21");
  ExpectContains(diff.out, "verdict: no regressions");
  EXPECT_EQ(diff.out.find("REGRESSION"), std::string::npos) << diff.out;

  RunResult strict = project.Wasmship({"report", "diff", "base.json", "head.json", "--threshold", "0%"});
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  ExpectContains(strict.out, "verdict: regression");
  ExpectContains(strict.out, "bundle +21 B");

  RunResult timed =
      project.Wasmship({"report", "diff", "base.json", "head.json", "--timings", "--format", "text"});
  ExpectContains(timed.out, "verdict: regression \xE2\x80\x94 build time grew: total +2.00 s");

  RunResult bad = project.Wasmship({"report", "diff", "base.json", "head.json", "--threshold", "lots"});
  EXPECT_EQ(bad.exit_code, 2);
  ExpectContains(bad.err, "--threshold 'lots' is not a percentage");
}

}  // namespace
}  // namespace ws::e2e
