// wasmship test on temporary copies of examples/catalog: its scenarios pass
// on every variant and engine; a failing expect names its step, writes the
// actual and diff images and exits 1; --update-goldens records, then it
// passes; JUnit output parses; bad scenarios exit 2 with file:line and
// leave earlier results alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kEvidence = "dist/test-results/navigation/base-128m-debug.interp/";

// Checks `xml_file` with Python's XML parser: well-formed, and the JUnit
// shape CI tools read. Prints "tests failures skipped" of the root.
RunResult JunitSummary(const ProjectSandbox& project, const std::string& xml_file) {
  const char* script =
      "import sys, xml.etree.ElementTree as ET\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "assert root.tag == 'testsuites', root.tag\n"
      "cases = 0\n"
      "for suite in root:\n"
      "    assert suite.tag == 'testsuite', suite.tag\n"
      "    kids = list(suite)\n"
      "    assert all(c.tag == 'testcase' for c in kids)\n"
      "    assert int(suite.get('tests')) == len(kids)\n"
      "    assert int(suite.get('failures')) == sum(1 for c in kids if c.find('failure') is not None)\n"
      "    cases += len(kids)\n"
      "    for c in kids:\n"
      "        for f in c.findall('failure'):\n"
      "            print('failure', c.get('classname'), f.get('type'), f.get('message'))\n"
      "assert int(root.get('tests')) == cases\n"
      "print(root.get('tests'), root.get('failures'), root.get('skipped'))\n";
  return RunCommand({"python3", "-c", script, project.Path(xml_file)}, project.dir());
}

TEST(AppTestTest, CatalogScenariosPassOnEveryVariantAndEngine) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult r = project.Wasmship({"test", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json results = json::parse(r.out);
  // Three scenarios on four runs: the TVs share a variant; the ps5's
  // SIMD-and-threads variant runs on interp, which aot cannot run.
  EXPECT_EQ(results["passed"], 12);
  EXPECT_EQ(results["failed"], 0);
  std::set<std::string> runs;
  for (const json& c : results["cases"]) {
    EXPECT_EQ(c["status"], "passed") << c.dump();
    EXPECT_GT(c["expects"].get<int>(), 1) << c.dump();
    EXPECT_EQ(c["size"], "1280x720");
    runs.insert(c["variant"].get<std::string>() + " " + c["engine"].get<std::string>());
    if (c["devices"] == json::array({"ps5"})) ExpectContains(c["notes"][0].get<std::string>(), "ran on interp");
  }
  EXPECT_EQ(runs, (std::set<std::string>{"base-128m-debug interp", "base-64m-debug interp", "base-256m-debug aot",
                                         "simd-threads-512m-debug interp"}));
  // JUnit of the same runs, written to a file.
  RunResult junit = project.Wasmship({"test", "--format", "junit", "-o", "results.xml"});
  ASSERT_EQ(junit.exit_code, 0) << junit.err;
  RunResult parsed = JunitSummary(project, "results.xml");
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out, "12 0 0\n");
}

TEST(AppTestTest, FailingExpectNamesTheStepAndWritesActualAndDiffImages) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  // Line 6 expects the wrong focus; the shelves' golden is replaced by another screen.
  std::string scenario = project.Read("tests/navigation.yaml");
  scenario.replace(scenario.find("focused_text: Sam }"), 19, "focused_text: Jordan }");
  scenario += "- expect: { frame_ms_p99_below: 0.0001 }\n";
  project.Write("tests/navigation.yaml", scenario);
  project.Write("tests/golden/1280x720/shelves.png", project.Read("tests/golden/1280x720/details.png"));
  RunResult r = project.Wasmship({"test", "--device", "tv-2019", "--scenario", "tests/navigation.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  ExpectContains(r.out, "FAIL  navigation  tv-2019 [base-128m-debug, interp, 1280x720]");
  ExpectContains(r.out, "tests/navigation.yaml:6: focused_text: expected the focus on \"Jordan\", found it on \"Sam\"");
  ExpectContains(r.out, "tests/navigation.yaml:13: screenshot_matches: ");
  ExpectContains(r.out, " pixels differ from tests/golden/1280x720/shelves.png (at most 0 may)");
  ExpectContains(r.out, "tests/navigation.yaml:14: frame_ms_p99_below: frame time p99 is ");
  ExpectContains(r.out, "1 run: 0 passed, 1 failed, 0 skipped");
  ExpectContains(r.out, std::string("actual: ") + kEvidence + "13-shelves.actual.png");
  ExpectContains(r.out, std::string("diff:   ") + kEvidence + "13-shelves.diff.png");
  EXPECT_TRUE(project.Exists(std::string(kEvidence) + "13-shelves.actual.png"));
  EXPECT_TRUE(project.Exists(std::string(kEvidence) + "13-shelves.diff.png"));
  // The same failure as JUnit.
  RunResult junit = project.Wasmship(
      {"test", "--device", "tv-2019", "--scenario", "tests/navigation.yaml", "--format", "junit", "-o", "junit.xml"});
  EXPECT_EQ(junit.exit_code, 1) << junit.err;
  RunResult parsed = JunitSummary(project, "junit.xml");
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  ExpectContains(parsed.out, "failure navigation focused_text tests/navigation.yaml:6: expected the focus on");
  ExpectContains(parsed.out, "1 1 0\n");

  // Fixed scenario, wrong golden: --update-goldens records the screen, then it passes.
  scenario.replace(scenario.find("focused_text: Jordan }"), 22, "focused_text: Sam }");
  scenario.erase(scenario.find("- expect: { frame_ms_p99_below"));
  project.Write("tests/navigation.yaml", scenario);
  RunResult update = project.Wasmship({"test", "--device", "tv-2019", "--update-goldens"});
  EXPECT_EQ(update.exit_code, 0) << update.out << update.err;
  ExpectContains(update.out, "wrote 1 golden(s)");
  std::string golden = project.Read("tests/golden/1280x720/shelves.png");
  EXPECT_NE(golden, project.Read("tests/golden/1280x720/details.png"));
  EXPECT_EQ(golden, project.Read(fs::relative(SourcePath("examples/catalog/tests/golden/1280x720/shelves.png"),
                                              project.dir()).string()));
  RunResult again = project.Wasmship({"test", "--device", "tv-2019"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectContains(again.out, "3 runs: 3 passed, 0 failed, 0 skipped");
  EXPECT_FALSE(project.Exists("dist/test-results/navigation"));  // evidence is the last run's only
}

TEST(AppTestTest, BadScenariosExitTwoWithFileAndLine) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.Write("results.json", "{\"good\": true}\n");
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"- key: right\n- key: rigth\n", "bad.yaml:2:8: error: unknown key 'rigth'; did you mean 'right'?"},
      {"- key: right\n- expect: { focus_text: Sam }\n",
       "bad.yaml:2:13: error: unknown key 'focus_text' in expect; did you mean 'focused_text'?"},
      {"- expect: { no_traps: 3 }\n", "bad.yaml:1:23: error: expect.no_traps must be true or false, not '3'"},
      {"- expect: { max_diff_pixels: 4 }\n", "bad.yaml:1:30: error: max_diff_pixels applies to screenshot_matches"},
      {"- expect: { screenshot_matches: ../../x.png }\n", "must be a path inside the scenario's directory"},
      {"[]\n", "bad.yaml:1:1: error: the scenario has no steps"},
  };
  for (const Case& c : cases) {
    project.Write("tests/bad.yaml", c.text);
    RunResult r = project.Wasmship({"test", "--format", "json", "-o", "results.json"});
    EXPECT_EQ(r.exit_code, 2) << c.text << r.err;
    ExpectContains(r.err, c.message);
    // The error comes before anything is built or written.
    EXPECT_EQ(project.Read("results.json"), "{\"good\": true}\n");
    EXPECT_FALSE(project.Exists("dist"));
  }
  fs::remove(project.Path("tests/bad.yaml"));
  RunResult device = project.Wasmship({"test", "--device", "tv-2000"});
  EXPECT_EQ(device.exit_code, 2);
  ExpectContains(device.err, "tv-2000");
  RunResult missing = project.Wasmship({"test", "--scenario", "tests/nope.yaml"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectContains(missing.err, "nope.yaml");
  RunResult format = project.Wasmship({"test", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  fs::remove_all(project.Path("tests"));
  RunResult none = project.Wasmship({"test"});
  EXPECT_EQ(none.exit_code, 2);
  ExpectContains(none.err, "no scenarios: the project has no tests/*.yaml");
}

// A golden of another size is a failure of its step (exit 1), not a crash
// or a silent pass; the golden is left as it was.
TEST(AppTestTest, GoldenOfAnotherSizeFailsTheStep) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult shot = project.Wasmship({"run", "--device", "tv-2019", "--size", "320x180", "--screenshot", "small.png"});
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  project.Write("tests/golden/1280x720/details.png", project.Read("small.png"));
  RunResult r = project.Wasmship({"test", "--device", "tv-2019", "--scenario", "tests/details.yaml"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  ExpectContains(r.out,
                 "tests/details.yaml:9: screenshot_matches: the golden tests/golden/1280x720/details.png is 320x180, "
                 "the screen is 1280x720");
  EXPECT_EQ(project.Read("tests/golden/1280x720/details.png"), project.Read("small.png"));
  // At another screen size, a golden of its own is missing.
  RunResult big = project.Wasmship({"test", "--device", "tv-2019", "--scenario", "tests/details.yaml", "--size", "640x360"});
  EXPECT_EQ(big.exit_code, 1);
  ExpectContains(big.out, "no golden tests/golden/640x360/details.png for this 640x360 screen");
}

}  // namespace
}  // namespace ws::e2e
