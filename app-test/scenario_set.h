// The scenarios `wasmship test` runs: tests/*.yaml of the project (or the
// files named with --scenario), each a key script with expect steps, and
// the steps of one run of one, with its goldens and evidence files placed.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "device-host/session/key_script.h"
#include "diagnostics/diagnostic.h"

namespace ws::apptest {

struct Scenario {
  std::string name;     // the file's stem; made unique with -2, -3 among same-named files
  std::string path;     // absolute
  std::string display;  // relative to the project root when inside it
  std::vector<host::Step> steps;
};

// <root>/tests/*.yaml (and .yml), sorted; empty when there are none.
std::vector<std::string> FindScenarioFiles(const std::string& root);

// Reads every file, reporting every problem with file:line:col; nullopt
// when any file is bad or has no steps.
std::optional<std::vector<Scenario>> LoadScenarios(const std::vector<std::string>& paths, const std::string& root,
                                                   DiagnosticSink& sink);

struct RunLayout {
  int width = 1280;
  int height = 720;
  std::string evidence_dir;  // this scenario's files for this run: screenshots, actual and diff images
  bool update_goldens = false;
};

// The scenario's steps for one run: each screenshot_matches resolved to
// its golden for the screen size (host::GoldenPathFor), a mismatch's
// images named <evidence_dir>/<line>-<golden>.actual.png and .diff.png,
// screenshot steps written under evidence_dir. With update_goldens, the
// first step of the invocation to name a golden records it and later ones
// compare with it; `recorded` remembers which were claimed.
std::vector<host::Step> StepsForRun(const Scenario& scenario, const RunLayout& layout,
                                    std::set<std::string>& recorded);

}  // namespace ws::apptest
