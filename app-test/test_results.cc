#include "app-test/test_results.h"

#include <filesystem>

namespace ws::apptest {
namespace {

namespace fs = std::filesystem;

std::string Relative(const std::string& path, const std::string& base) {
  if (path.empty() || base.empty()) return path;
  fs::path relative = fs::path(path).lexically_relative(base);
  std::string text = relative.string();
  return text.empty() || text.rfind("..", 0) == 0 ? path : text;
}

// Paths in a message shown relative to the project, as everywhere else.
std::string WithoutBase(std::string message, const std::string& base) {
  if (base.empty()) return message;
  std::string prefix = base + "/";
  for (size_t at; (at = message.find(prefix)) != std::string::npos;) message.erase(at, prefix.size());
  return message;
}

}  // namespace

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "passed";
    case Outcome::kFailed: return "failed";
    case Outcome::kSkipped: return "skipped";
  }
  return "failed";
}

std::string Failure::Where() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::string CaseResult::Label() const {
  std::string names;
  for (const std::string& d : devices) names += (names.empty() ? "" : ",") + d;
  return (names.empty() ? std::string("default") : names) + " [" + variant + ", " + engine + ", " + size + "]";
}

size_t TestRun::Count(Outcome outcome) const {
  size_t n = 0;
  for (const CaseResult& c : cases) n += c.outcome == outcome ? 1 : 0;
  return n;
}

void AddExpectResults(const host::RunReport& report, const std::string& base_dir, CaseResult& c) {
  for (const host::ExpectRecord& record : report.expects) {
    ++c.expects;
    if (record.golden_written) ++c.goldens_written;
    for (const host::ExpectFailure& f : record.failures) {
      Failure failure;
      failure.file = c.file;
      failure.line = record.line;
      failure.check = f.check;
      failure.message = WithoutBase(f.message, base_dir);
      if (f.check == "screenshot_matches") {
        failure.golden = Relative(record.golden, base_dir);
        failure.actual = Relative(record.actual_path, base_dir);
        failure.diff = Relative(record.diff_path, base_dir);
        failure.diff_pixels = record.diff_pixels;
      }
      c.failures.push_back(std::move(failure));
    }
  }
  if (!report.traps.empty()) {
    c.notes.push_back("the app trapped " + std::to_string(report.traps.size()) + " time(s), first " +
                      report.traps.front().kind + " in " + report.traps.front().during);
  }
  if (!c.failures.empty()) c.outcome = Outcome::kFailed;
}

}  // namespace ws::apptest
