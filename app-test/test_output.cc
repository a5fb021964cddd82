// The text and JSON forms of a test run (JUnit is in junit_writer.cc).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app-test/test_results.h"

namespace ws::apptest {
namespace {

std::string Seconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", ms / 1000);
  return text;
}

const char* Tag(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "PASS";
    case Outcome::kFailed: return "FAIL";
    case Outcome::kSkipped: return "SKIP";
  }
  return "FAIL";
}

double Round(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

std::string RenderText(const TestRun& run, bool verbose) {
  size_t name_width = 0, label_width = 0;
  for (const CaseResult& c : run.cases) {
    name_width = std::max(name_width, c.scenario.size());
    label_width = std::max(label_width, c.Label().size());
  }
  std::string out;
  for (const CaseResult& c : run.cases) {
    char line[1024];
    std::snprintf(line, sizeof line, "%s  %-*s  %-*s  %s\n", Tag(c.outcome), static_cast<int>(name_width),
                  c.scenario.c_str(), static_cast<int>(label_width), c.Label().c_str(),
                  c.outcome == Outcome::kSkipped ? "" : Seconds(c.ms).c_str());
    out += line;
    for (const Failure& f : c.failures) {
      out += "      " + f.Where() + ": " + f.check + ": " + f.message + "\n";
      if (!f.actual.empty()) out += "        actual: " + f.actual + "\n";
      if (!f.diff.empty()) out += "        diff:   " + f.diff + "\n";
    }
    for (const std::string& note : c.notes) out += "      note: " + note + "\n";
    if (c.goldens_written > 0) out += "      wrote " + std::to_string(c.goldens_written) + " golden(s)\n";
    if (verbose && !c.output.empty()) out += "      app output:\n" + c.output;
  }
  out += std::to_string(run.cases.size()) + (run.cases.size() == 1 ? " run: " : " runs: ") +
         std::to_string(run.Count(Outcome::kPassed)) + " passed, " + std::to_string(run.Count(Outcome::kFailed)) +
         " failed, " + std::to_string(run.Count(Outcome::kSkipped)) + " skipped in " + Seconds(run.ms) + "\n";
  return out;
}

std::string RenderJson(const TestRun& run) {
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const CaseResult& c : run.cases) {
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const Failure& f : c.failures) {
      nlohmann::ordered_json failure = {
          {"file", f.file}, {"line", f.line}, {"check", f.check}, {"message", f.message}};
      if (f.diff_pixels >= 0) failure["diff_pixels"] = f.diff_pixels;
      if (!f.golden.empty()) failure["golden"] = f.golden;
      if (!f.actual.empty()) failure["actual"] = f.actual;
      if (!f.diff.empty()) failure["diff"] = f.diff;
      failures.push_back(std::move(failure));
    }
    cases.push_back({{"scenario", c.scenario},
                     {"file", c.file},
                     {"devices", c.devices},
                     {"variant", c.variant},
                     {"engine", c.engine},
                     {"size", c.size},
                     {"status", OutcomeName(c.outcome)},
                     {"ms", Round(c.ms)},
                     {"expects", c.expects},
                     {"goldens_written", c.goldens_written},
                     {"failures", std::move(failures)},
                     {"notes", c.notes}});
  }
  nlohmann::ordered_json json = {{"passed", run.Count(Outcome::kPassed)},
                                 {"failed", run.Count(Outcome::kFailed)},
                                 {"skipped", run.Count(Outcome::kSkipped)},
                                 {"ms", Round(run.ms)},
                                 {"cases", std::move(cases)}};
  // Texts from the app may hold invalid UTF-8: replaced, never a throw.
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace ws::apptest
