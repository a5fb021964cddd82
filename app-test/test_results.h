// app-test: what `wasmship test` found, one case per scenario x run (a
// variant on an engine at a screen size, for the devices that share it),
// and the three ways it is printed: text for people, JSON for scripts,
// JUnit XML for CI systems (docs/testing.md has the formats).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "device-host/device_host.h"

namespace ws::apptest {

enum class Outcome { kPassed, kFailed, kSkipped };
const char* OutcomeName(Outcome outcome);  // passed, failed, skipped

// One check that failed, at its step.
struct Failure {
  std::string file;     // the scenario, as shown to the user
  int line = 0;         // of the step; 0: not a step (the app did not start)
  std::string check;    // focused_text, screenshot_matches, ..., or "run"
  std::string message;
  std::string golden;   // screenshot_matches: the golden, actual and diff images
  std::string actual;
  std::string diff;
  int64_t diff_pixels = -1;
  std::string Where() const;  // "tests/nav.yaml:7" (or the file alone)
};

struct CaseResult {
  std::string scenario;  // its name (the file's stem)
  std::string file;      // as shown: relative to the project when inside it
  std::vector<std::string> devices;
  std::string variant;
  std::string engine;
  std::string size;      // "1280x720"
  Outcome outcome = Outcome::kPassed;
  double ms = 0;
  int expects = 0;          // expect steps checked
  int goldens_written = 0;  // by --update-goldens
  std::vector<Failure> failures;
  std::vector<std::string> notes;  // why it was skipped, an engine fallback, traps
  std::string output;              // what the app printed (JUnit system-out)
  // "tv-2019,tv-2020 [mvp-128m-debug, interp, 1280x720]"
  std::string Label() const;
};

struct TestRun {
  std::vector<CaseResult> cases;  // scenario by scenario, runs in plan order
  double ms = 0;
  size_t Count(Outcome outcome) const;
};

// Folds a finished run's expect records (and traps) into `c`: failures with
// file:line, evidence paths made relative to `base_dir` for display.
void AddExpectResults(const host::RunReport& report, const std::string& base_dir, CaseResult& c);

// One line per case, failures beneath it, then a summary line.
std::string RenderText(const TestRun& run, bool verbose);
std::string RenderJson(const TestRun& run);
// <testsuites> with one <testsuite> per scenario and one <testcase> per run.
std::string RenderJunit(const TestRun& run);

// `text` made safe inside XML character data (or, with `attribute`, a
// quoted attribute value, where newlines and tabs become references):
// markup characters escaped, characters XML 1.0 forbids and invalid UTF-8
// replaced with U+FFFD.
std::string XmlEscape(const std::string& text, bool attribute = false);

}  // namespace ws::apptest
