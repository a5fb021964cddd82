// The text and JSON forms of a test run, and expect records folded into cases.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app-test/test_results.h"

namespace ws::apptest {
namespace {

CaseResult Case(const std::string& scenario, const std::string& engine) {
  CaseResult c;
  c.scenario = scenario;
  c.file = "tests/" + scenario + ".yaml";
  c.devices = {"tv-2019"};
  c.variant = "mvp-128m-debug";
  c.engine = engine;
  c.size = "1280x720";
  c.ms = 420;
  return c;
}

host::RunReport ReportWithFailures() {
  host::RunReport report;
  host::ExpectRecord ok;
  ok.line = 3;
  ok.golden = "/p/tests/golden/1280x720/home.png";
  ok.golden_written = true;
  host::ExpectRecord bad;
  bad.line = 9;
  bad.failures = {{"focused_text", "expected the focus on \"A\", found it on \"B\""},
                  {"screenshot_matches", "5 pixels differ from /p/tests/golden/1280x720/home.png"}};
  bad.golden = "/p/tests/golden/1280x720/home.png";
  bad.actual_path = "/p/dist/test-results/nav/v.interp/9-home.actual.png";
  bad.diff_path = "/p/dist/test-results/nav/v.interp/9-home.diff.png";
  bad.diff_pixels = 5;
  report.expects = {ok, bad};
  return report;
}

TEST(TestOutputTest, ExpectRecordsBecomeFailuresWithFileAndLine) {
  CaseResult c = Case("nav", "interp");
  AddExpectResults(ReportWithFailures(), "/p", c);
  EXPECT_EQ(c.outcome, Outcome::kFailed);
  EXPECT_EQ(c.expects, 2);
  EXPECT_EQ(c.goldens_written, 1);
  ASSERT_EQ(c.failures.size(), 2u);
  EXPECT_EQ(c.failures[0].Where(), "tests/nav.yaml:9");
  EXPECT_EQ(c.failures[0].check, "focused_text");
  EXPECT_TRUE(c.failures[0].actual.empty());
  EXPECT_EQ(c.failures[1].golden, "tests/golden/1280x720/home.png");
  EXPECT_EQ(c.failures[1].actual, "dist/test-results/nav/v.interp/9-home.actual.png");
  EXPECT_EQ(c.failures[1].diff_pixels, 5);
  CaseResult passing = Case("nav", "interp");
  host::RunReport clean;
  clean.expects.resize(1);
  AddExpectResults(clean, "/p", passing);
  EXPECT_EQ(passing.outcome, Outcome::kPassed);
}

TEST(TestOutputTest, TextHasALinePerCaseAndASummary) {
  TestRun run;
  run.cases = {Case("nav", "interp"), Case("nav", "aot"), Case("details", "interp")};
  AddExpectResults(ReportWithFailures(), "/p", run.cases[1]);
  run.cases[2].outcome = Outcome::kSkipped;
  run.cases[2].notes = {"aot cannot run it"};
  run.ms = 1500;
  std::string text = RenderText(run, false);
  EXPECT_NE(text.find("PASS  nav      tv-2019 [mvp-128m-debug, interp, 1280x720]  0.42 s\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("FAIL  nav      tv-2019 [mvp-128m-debug, aot, 1280x720]     0.42 s\n"
                      "      tests/nav.yaml:9: focused_text: expected the focus on \"A\", found it on \"B\"\n"
                      "      tests/nav.yaml:9: screenshot_matches: 5 pixels differ from tests/golden/1280x720/home.png\n"
                      "        actual: dist/test-results/nav/v.interp/9-home.actual.png\n"
                      "        diff:   dist/test-results/nav/v.interp/9-home.diff.png\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SKIP  details  tv-2019 [mvp-128m-debug, interp, 1280x720]  \n      note: aot cannot run it\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("3 runs: 1 passed, 1 failed, 1 skipped in 1.50 s\n"), std::string::npos) << text;
}

TEST(TestOutputTest, JsonHasCountsAndEveryFailure) {
  TestRun run;
  run.cases = {Case("nav", "interp"), Case("nav", "aot")};
  AddExpectResults(ReportWithFailures(), "/p", run.cases[1]);
  run.cases[0].output = "bad utf-8 \xff";
  nlohmann::json json = nlohmann::json::parse(RenderJson(run));
  EXPECT_EQ(json["passed"], 1);
  EXPECT_EQ(json["failed"], 1);
  EXPECT_EQ(json["skipped"], 0);
  ASSERT_EQ(json["cases"].size(), 2u);
  const nlohmann::json& failed = json["cases"][1];
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["engine"], "aot");
  EXPECT_EQ(failed["devices"], nlohmann::json::array({"tv-2019"}));
  EXPECT_EQ(failed["failures"][1]["line"], 9);
  EXPECT_EQ(failed["failures"][1]["check"], "screenshot_matches");
  EXPECT_EQ(failed["failures"][1]["diff_pixels"], 5);
  EXPECT_EQ(failed["failures"][1]["diff"], "dist/test-results/nav/v.interp/9-home.diff.png");
  EXPECT_FALSE(failed["failures"][0].contains("diff_pixels"));
}

}  // namespace
}  // namespace ws::apptest
