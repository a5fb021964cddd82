// The performance half of the budget gate: before budgets are checked, a
// release build runs the manifest's perf_script on each variant (on the
// engines its devices' performance budgets need) and records the figures
// in report.json as variant["perf"] (docs/budgets.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"
#include "diagnostics/diagnostic.h"

namespace ws {

// One variant as the build left it.
struct PerfTarget {
  std::string variant;
  std::string module_path;  // the staged module, or the one in place when unchanged
  uint64_t max_memory = 0;
  std::vector<std::string> devices;
};

// Which engines a variant's run needs: interp for any instruction budget,
// the device's engine for any time budget of its devices (default and own
// budgets merged). Empty: nothing to measure.
std::vector<std::string> PerfEnginesFor(const Manifest& manifest, const std::vector<std::string>& devices,
                                        const std::map<std::string, std::string>& device_engines);

// Measures every target and stores the figures in `document`'s variants.
// Returns the status to stop the build with (a bad or trapping script),
// or nullopt to go on to the budget check.
std::optional<BuildStatus> MeasurePerformance(const Manifest& manifest, const BuildOptions& options,
                                              const std::string& cache_dir, const std::vector<PerfTarget>& targets,
                                              nlohmann::ordered_json& document, BuildObserver& observer,
                                              DiagnosticSink& sink);

}  // namespace ws
