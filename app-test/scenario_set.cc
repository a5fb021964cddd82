#include "app-test/scenario_set.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "device-host/session/expect_step.h"

namespace ws::apptest {
namespace {

namespace fs = std::filesystem;

std::string DisplayPath(const fs::path& path, const std::string& root) {
  fs::path relative = path.lexically_relative(root);
  std::string text = relative.string();
  return root.empty() || text.empty() || text.rfind("..", 0) == 0 ? path.string() : text;
}

}  // namespace

std::vector<std::string> FindScenarioFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(root) / "tests", ec), end; !ec && it != end; it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::vector<Scenario>> LoadScenarios(const std::vector<std::string>& paths, const std::string& root,
                                                   DiagnosticSink& sink) {
  std::vector<Scenario> scenarios;
  std::map<std::string, int> names;
  size_t errors = sink.ErrorCount();
  for (const std::string& path : paths) {
    fs::path absolute = fs::absolute(path).lexically_normal();
    Scenario scenario;
    scenario.path = absolute.string();
    scenario.display = DisplayPath(absolute, root);
    // Messages name the file as the user sees it, relative to the project.
    DiagnosticSink own;
    std::optional<std::vector<host::Step>> steps = host::LoadKeyScript(absolute.string(), own);
    for (Diagnostic& d : own.Take()) {
      if (d.span.file == scenario.path) d.span.file = scenario.display;
      sink.Add(std::move(d));
    }
    if (!steps) continue;
    if (steps->empty()) {
      sink.Error({scenario.display, 1, 1, 1}, "the scenario has no steps",
                 {"for example:\n  - key: right\n  - expect: { focused_text: \"Home\" }"});
      continue;
    }
    std::string stem = absolute.stem().string();
    int seen = ++names[stem];
    scenario.name = seen == 1 ? stem : stem + "-" + std::to_string(seen);
    scenario.steps = std::move(*steps);
    scenarios.push_back(std::move(scenario));
  }
  if (sink.ErrorCount() > errors) return std::nullopt;
  return scenarios;
}

std::vector<host::Step> StepsForRun(const Scenario& scenario, const RunLayout& layout,
                                    std::set<std::string>& recorded) {
  std::vector<host::Step> steps = scenario.steps;
  std::string dir = fs::path(scenario.path).parent_path().string();
  for (host::Step& step : steps) {
    if (step.kind == host::Step::Kind::kScreenshot && fs::path(step.path).is_relative()) {
      step.path = (fs::path(layout.evidence_dir) / step.path).lexically_normal().string();
    }
    host::Expect& e = step.expect;
    if (step.kind != host::Step::Kind::kExpect || e.screenshot_matches.empty()) continue;
    e.golden_path = host::GoldenPathFor(dir, e.screenshot_matches, layout.width, layout.height);
    std::string evidence = layout.evidence_dir + "/" + std::to_string(step.line) + "-" +
                           fs::path(e.screenshot_matches).stem().string();
    e.actual_path = evidence + ".actual.png";
    e.diff_path = evidence + ".diff.png";
    e.update_golden = layout.update_goldens && recorded.insert(e.golden_path).second;
  }
  return steps;
}

}  // namespace ws::apptest
