// The expect step of scenarios: every field read, and every bad input
// reported at its line:column with what to write instead.
#include "device-host/session/expect_step.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "diagnostics/diagnostic_printer.h"

namespace ws::host {
namespace {

class ExpectStepTest : public ::testing::Test {
 protected:
  std::optional<std::vector<Step>> Load(const std::string& text) {
    path_ = (std::filesystem::path(::testing::TempDir()) / ("ws_expect_" + std::to_string(::getpid()) + ".yaml")).string();
    std::ofstream(path_) << text;
    sink_ = DiagnosticSink();
    return LoadKeyScript(path_, sink_);
  }
  std::string Messages() const {
    std::string all;
    for (const Diagnostic& d : sink_.diagnostics()) all += FormatDiagnostic(d);
    return all;
  }
  // The first error's line, and that its message contains `part`.
  void ExpectError(const std::string& text, uint32_t line, const std::string& part) {
    EXPECT_FALSE(Load(text)) << text;
    ASSERT_FALSE(sink_.diagnostics().empty()) << text;
    EXPECT_EQ(sink_.diagnostics().front().span.line, line) << Messages();
    EXPECT_NE(Messages().find(part), std::string::npos) << Messages();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
  DiagnosticSink sink_;
};

TEST_F(ExpectStepTest, ReadsEveryField) {
  auto steps = Load(
      "- key: right\n"
      "- expect: { focused_text: \"Tile 3\", text_visible: Home, no_traps: true }\n"
      "- expect:\n"
      "    screenshot_matches: golden/home.png\n"
      "    max_diff_pixels: 40\n"
      "    frame_ms_p99_below: 16.5\n");
  ASSERT_TRUE(steps) << Messages();
  ASSERT_EQ(steps->size(), 3u);
  const Step& first = (*steps)[1];
  EXPECT_EQ(first.kind, Step::Kind::kExpect);
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.expect.focused_text, "Tile 3");
  EXPECT_EQ(first.expect.text_visible, "Home");
  EXPECT_TRUE(first.expect.no_traps);
  EXPECT_TRUE(first.expect.screenshot_matches.empty());
  const Expect& second = (*steps)[2].expect;
  EXPECT_EQ((*steps)[2].line, 3);
  EXPECT_EQ(second.screenshot_matches, "golden/home.png");
  EXPECT_EQ(second.max_diff_pixels, 40);
  EXPECT_EQ(second.frame_ms_p99_below, 16.5);
  EXPECT_FALSE(second.focused_text);
  EXPECT_EQ((*steps)[0].line, 1);
}

TEST_F(ExpectStepTest, UnknownKeyNamesItsLine) {
  ExpectError("- key: right\n- key: rihgt\n", 2, "unknown key 'rihgt'; did you mean 'right'?");
}

TEST_F(ExpectStepTest, UnknownFieldIsRefusedWithASuggestion) {
  ExpectError("- key: right\n- expect: { focus_text: Home }\n", 2,
              "unknown key 'focus_text' in expect; did you mean 'focused_text'?");
}

TEST_F(ExpectStepTest, WrongTypesAreRefused) {
  ExpectError("- expect: { no_traps: maybe }\n", 1, "expect.no_traps must be true or false, not 'maybe'");
  ExpectError("- expect: { focused_text: [a, b] }\n", 1, "expect.focused_text must be a string");
  ExpectError("- expect:\n    screenshot_matches: a.png\n    max_diff_pixels: -3\n", 3,
              "expect.max_diff_pixels must be a whole number from 0");
  ExpectError("- expect: { frame_ms_p99_below: fast }\n", 1,
              "expect.frame_ms_p99_below must be a positive number of milliseconds, not 'fast'");
  ExpectError("- expect: { frame_ms_p99_below: 0 }\n", 1, "positive number");
  ExpectError("- expect: Home\n", 1, "expect must be a mapping of checks");
}

TEST_F(ExpectStepTest, MalformedChecksAreRefused) {
  ExpectError("- expect: {}\n", 1, "expect names no check");
  ExpectError("- expect: { max_diff_pixels: 3 }\n", 1, "max_diff_pixels applies to screenshot_matches");
  ExpectError("- expect: { screenshot_matches: /tmp/x.png }\n", 1, "must be a path inside the scenario's directory");
  ExpectError("- expect: { screenshot_matches: ../x.png }\n", 1, "must be a path inside the scenario's directory");
  ExpectError("- expect: { screenshot_matches: golden/x.jpg }\n", 1, "must name a .png file");
  ExpectError("- key: up\n  expect: { no_traps: true }\n", 1, "exactly one of: key, wait, screenshot, expect");
}

TEST_F(ExpectStepTest, EveryBadStepIsReported) {
  EXPECT_FALSE(Load("- expect: { no_trap: true }\n- key: nope\n- wait: soon\n"));
  EXPECT_EQ(sink_.ErrorCount(), 3u) << Messages();
}

TEST(GoldenPathTest, TheScreenSizeIsADirectoryAboveTheFile) {
  EXPECT_EQ(GoldenPathFor("/p/tests", "golden/home.png", 1280, 720), "/p/tests/golden/1280x720/home.png");
  EXPECT_EQ(GoldenPathFor("/p/tests", "home.png", 1920, 1080), "/p/tests/1920x1080/home.png");
  EXPECT_EQ(GoldenPathFor("/p/tests", "./golden/pages/details.png", 640, 360),
            "/p/tests/golden/pages/640x360/details.png");
}

}  // namespace
}  // namespace ws::host
