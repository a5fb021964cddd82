// JUnit XML: the structure CI tools read, counts that add up, and text from
// the app (markup, control characters, invalid UTF-8) that cannot break it.
#include <gtest/gtest.h>

#include "app-test/test_results.h"

namespace ws::apptest {
namespace {

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TestRun SampleRun() {
  TestRun run;
  run.ms = 2500;
  CaseResult pass;
  pass.scenario = "navigation";
  pass.file = "tests/navigation.yaml";
  pass.devices = {"tv-2019", "tv-2020"};
  pass.variant = "mvp-128m-debug";
  pass.engine = "interp";
  pass.size = "1280x720";
  pass.ms = 1200;
  CaseResult fail = pass;
  fail.devices = {"box-2023"};
  fail.engine = "aot";
  fail.outcome = Outcome::kFailed;
  fail.failures.push_back({"tests/navigation.yaml", 7, "screenshot_matches",
                           "12 pixels differ from tests/golden/1280x720/home.png (at most 0 may)",
                           "tests/golden/1280x720/home.png", "dist/test-results/a.png", "dist/test-results/d.png", 12});
  fail.output = "app says <hi> & \x01 bye\xff\n";
  CaseResult skip = pass;
  skip.scenario = "details";
  skip.file = "tests/details.yaml";
  skip.outcome = Outcome::kSkipped;
  skip.notes = {"aot cannot run \"simd\""};
  run.cases = {pass, fail, skip};
  return run;
}

TEST(JunitWriterTest, OneSuitePerScenarioOneCasePerRun) {
  std::string xml = RenderJunit(SampleRun());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"wasmship test\" tests=\"3\" "
                      "failures=\"1\" errors=\"0\" skipped=\"1\" time=\"2.500\">",
                      0),
            0u)
      << xml;
  EXPECT_EQ(Occurrences(xml, "<testsuite "), 2u);
  EXPECT_EQ(Occurrences(xml, "</testsuite>"), 2u);
  EXPECT_EQ(Occurrences(xml, "<testcase "), 3u);
  EXPECT_EQ(Occurrences(xml, "</testcase>"), 3u);
  EXPECT_NE(xml.find("<testsuite name=\"navigation\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
                     "time=\"2.400\" file=\"tests/navigation.yaml\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"tv-2019,tv-2020 [mvp-128m-debug, interp, 1280x720]\" "
                     "classname=\"navigation\" file=\"tests/navigation.yaml\" time=\"1.200\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<failure message=\"tests/navigation.yaml:7: 12 pixels differ from "
                     "tests/golden/1280x720/home.png (at most 0 may)\" type=\"screenshot_matches\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("  diff: dist/test-results/d.png\n</failure>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"aot cannot run &quot;simd&quot;\"/>"), std::string::npos) << xml;
  EXPECT_EQ(xml.substr(xml.size() - 14), "</testsuites>\n");
}

TEST(JunitWriterTest, AppOutputCannotBreakTheDocument) {
  std::string xml = RenderJunit(SampleRun());
  EXPECT_NE(xml.find("<system-out>app says &lt;hi&gt; &amp; \xEF\xBF\xBD bye\xEF\xBF\xBD\n</system-out>"),
            std::string::npos)
      << xml;
}

TEST(JunitWriterTest, XmlEscape) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(XmlEscape("line\nnext\ttab"), "line\nnext\ttab");
  EXPECT_EQ(XmlEscape("line\nnext\ttab", true), "line&#10;next&#9;tab");
  EXPECT_EQ(XmlEscape("\x1b[31mred"), "\xEF\xBF\xBD[31mred");
  EXPECT_EQ(XmlEscape("caf\xC3\xA9 \xE2\x9C\x93"), "caf\xC3\xA9 \xE2\x9C\x93");  // valid UTF-8 stays
  EXPECT_EQ(XmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                // overlong '/'
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(XmlEscape("cut \xE2\x9C"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace ws::apptest
