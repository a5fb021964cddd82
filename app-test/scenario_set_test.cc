// Scenario files found, loaded and placed for one run: goldens per screen
// size, evidence under the run's directory, --update-goldens claims.
#include "app-test/scenario_set.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ws::apptest {
namespace {

namespace fs = std::filesystem;

class ScenarioSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ws_scenarios_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
    fs::create_directories(root_ + "/tests/more");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) { std::ofstream(root_ + "/" + relative) << text; }
  std::string root_;
};

TEST_F(ScenarioSetTest, FindsTheProjectsYamlFilesSorted) {
  Write("tests/b.yaml", "- key: right\n");
  Write("tests/a.yml", "- key: left\n");
  Write("tests/notes.txt", "not a scenario");
  Write("tests/more/c.yaml", "- key: up\n");  // not searched: tests/ only
  std::vector<std::string> files = FindScenarioFiles(root_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], root_ + "/tests/a.yml");
  EXPECT_EQ(files[1], root_ + "/tests/b.yaml");
  EXPECT_TRUE(FindScenarioFiles(root_ + "/tests").empty());
}

TEST_F(ScenarioSetTest, LoadsNamesAndRefusesBadFiles) {
  Write("tests/nav.yaml", "- key: right\n- expect: { no_traps: true }\n");
  Write("tests/more/nav.yaml", "- key: left\n");
  Write("tests/empty.yaml", "[]\n");
  Write("tests/bad.yaml", "- key: right\n- expect: { focused: A }\n");
  DiagnosticSink sink;
  auto good = LoadScenarios({root_ + "/tests/nav.yaml", root_ + "/tests/more/nav.yaml"}, root_, sink);
  ASSERT_TRUE(good);
  ASSERT_EQ(good->size(), 2u);
  EXPECT_EQ((*good)[0].name, "nav");
  EXPECT_EQ((*good)[0].display, "tests/nav.yaml");
  EXPECT_EQ((*good)[1].name, "nav-2");
  EXPECT_EQ((*good)[1].steps.size(), 1u);
  EXPECT_FALSE(LoadScenarios({root_ + "/tests/empty.yaml", root_ + "/tests/bad.yaml"}, root_, sink));
  ASSERT_EQ(sink.ErrorCount(), 2u);
  EXPECT_EQ(sink.diagnostics()[0].message, "the scenario has no steps");
  EXPECT_EQ(sink.diagnostics()[0].span.file, "tests/empty.yaml");
  EXPECT_EQ(sink.diagnostics()[1].span.line, 2u);
  EXPECT_FALSE(LoadScenarios({root_ + "/tests/missing.yaml"}, root_, sink));
}

TEST_F(ScenarioSetTest, StepsForARunPlaceGoldensAndEvidence) {
  Write("tests/nav.yaml",
        "- screenshot: shots/a.png\n"
        "- expect: { screenshot_matches: golden/home.png }\n"
        "- key: right\n"
        "- expect: { screenshot_matches: golden/home.png, max_diff_pixels: 3 }\n");
  DiagnosticSink sink;
  auto scenarios = LoadScenarios({root_ + "/tests/nav.yaml"}, root_, sink);
  ASSERT_TRUE(scenarios);
  std::set<std::string> recorded;
  RunLayout layout{1280, 720, root_ + "/dist/test-results/nav/v.interp", true};
  std::vector<host::Step> steps = StepsForRun((*scenarios)[0], layout, recorded);
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].path, root_ + "/dist/test-results/nav/v.interp/shots/a.png");
  const host::Expect& first = steps[1].expect;
  EXPECT_EQ(first.golden_path, root_ + "/tests/golden/1280x720/home.png");
  EXPECT_EQ(first.actual_path, root_ + "/dist/test-results/nav/v.interp/2-home.actual.png");
  EXPECT_EQ(first.diff_path, root_ + "/dist/test-results/nav/v.interp/2-home.diff.png");
  // The first to name a golden records it; the later step compares with it.
  EXPECT_TRUE(first.update_golden);
  EXPECT_FALSE(steps[3].expect.update_golden);
  EXPECT_EQ(steps[3].expect.actual_path, root_ + "/dist/test-results/nav/v.interp/4-home.actual.png");
  // So does the next run (another engine) in the same invocation.
  EXPECT_FALSE(StepsForRun((*scenarios)[0], layout, recorded)[1].expect.update_golden);
  // Another size has goldens of its own.
  layout.width = 1920, layout.height = 1080;
  std::vector<host::Step> big = StepsForRun((*scenarios)[0], layout, recorded);
  EXPECT_EQ(big[1].expect.golden_path, root_ + "/tests/golden/1920x1080/home.png");
  EXPECT_TRUE(big[1].expect.update_golden);
}

}  // namespace
}  // namespace ws::apptest
