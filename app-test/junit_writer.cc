// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters):
// <testsuites> / <testsuite> per scenario / <testcase> per run, with
// <failure>, <skipped> and <system-out>. Times are seconds.
#include <cstdio>
#include <map>

#include "app-test/test_results.h"

namespace ws::apptest {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;  // of the app's output per case

std::string Seconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", ms / 1000);
  return text;
}

// The length of the valid UTF-8 sequence at `s[i]`, or 0.
size_t Utf8Length(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = n == 1 ? b : b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  bool allowed = cp >= kMin[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
  // XML 1.0 allows tab, newline and carriage return below U+0020, nothing else.
  if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') allowed = false;
  return allowed ? n : 0;
}

std::string Attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + XmlEscape(value, /*attribute=*/true) + "\"";
}

struct Suite {
  std::vector<const CaseResult*> cases;
  double ms = 0;
  size_t failures = 0, skipped = 0;
};

void WriteCase(const CaseResult& c, std::string& out) {
  out += "    <testcase" + Attr("name", c.Label()) + Attr("classname", c.scenario) + Attr("file", c.file) +
         Attr("time", Seconds(c.ms)) + ">\n";
  if (c.outcome == Outcome::kFailed) {
    std::string body;
    for (const Failure& f : c.failures) {
      body += f.Where() + ": " + f.check + ": " + f.message + "\n";
      if (!f.actual.empty()) body += "  actual: " + f.actual + "\n";
      if (!f.diff.empty()) body += "  diff: " + f.diff + "\n";
    }
    const Failure* first = c.failures.empty() ? nullptr : &c.failures.front();
    std::string message = first ? first->Where() + ": " + first->message : "failed";
    out += "      <failure" + Attr("message", message) + Attr("type", first ? first->check : "run") + ">" +
           XmlEscape(body) + "</failure>\n";
  } else if (c.outcome == Outcome::kSkipped) {
    out += "      <skipped" + Attr("message", c.notes.empty() ? "skipped" : c.notes.front()) + "/>\n";
  }
  std::string output = c.output.size() > kMaxOutput ? c.output.substr(0, kMaxOutput) + "\n[... cut]\n" : c.output;
  for (const std::string& note : c.notes) output += "note: " + note + "\n";
  if (!output.empty()) out += "      <system-out>" + XmlEscape(output) + "</system-out>\n";
  out += "    </testcase>\n";
}

}  // namespace

std::string XmlEscape(const std::string& text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    switch (text[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // In attributes, kept through value normalization (which turns raw ones into spaces).
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out.append(text, i, n);
    }
    i += n;
  }
  return out;
}

std::string RenderJunit(const TestRun& run) {
  std::vector<std::string> order;
  std::map<std::string, Suite> suites;
  for (const CaseResult& c : run.cases) {
    auto [it, fresh] = suites.try_emplace(c.scenario);
    if (fresh) order.push_back(c.scenario);
    it->second.cases.push_back(&c);
    it->second.ms += c.ms;
    it->second.failures += c.outcome == Outcome::kFailed ? 1 : 0;
    it->second.skipped += c.outcome == Outcome::kSkipped ? 1 : 0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + Attr("name", "wasmship test") + Attr("tests", std::to_string(run.cases.size())) +
         Attr("failures", std::to_string(run.Count(Outcome::kFailed))) + Attr("errors", "0") +
         Attr("skipped", std::to_string(run.Count(Outcome::kSkipped))) + Attr("time", Seconds(run.ms)) + ">\n";
  for (const std::string& name : order) {
    const Suite& suite = suites[name];
    out += "  <testsuite" + Attr("name", name) + Attr("tests", std::to_string(suite.cases.size())) +
           Attr("failures", std::to_string(suite.failures)) + Attr("errors", "0") +
           Attr("skipped", std::to_string(suite.skipped)) + Attr("time", Seconds(suite.ms)) +
           Attr("file", suite.cases.front()->file) + ">\n";
    for (const CaseResult* c : suite.cases) WriteCase(*c, out);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace ws::apptest
