// Performance budgets against a variant's "perf" figures (what `build`
// measured by running the manifest's perf_script; docs/budgets.md):
// instruction counts come from the interp run, which is deterministic, and
// gate; milliseconds come from the run on the device's own engine and only
// warn unless the rules are strict (wall time varies from run to run).
#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

using view::Field;
using view::Has;
using view::Num;
using view::Str;
using view::U64;

std::string Instructions(uint64_t n) { return Grouped(n) + " instructions"; }
std::string Ms(double ms) { return Fixed(ms, 2) + " ms"; }

// The run whose figures a device's rule reads: interp for instructions,
// the device's engine for time.
const Json* Run(const Json& perf, const std::string& engine) {
  const Json* runs = Field(perf, "runs");
  return runs ? Field(*runs, engine) : nullptr;
}

std::string DeviceEngine(const Json& perf, const std::string& device) {
  const Json* engines = Field(perf, "engines");
  std::string engine = engines ? Str(*engines, device) : "";
  return engine.empty() ? "interp" : engine;
}

}  // namespace

void CheckPerfBudgets(const BudgetRules& rules, const Json& variant, const std::string& device,
                      std::vector<BudgetResult>& results) {
  const Json* perf = Field(variant, "perf");
  std::string variant_name = Str(variant, "name");
  auto add = [&](const std::string& rule, std::string limit, std::string actual, bool ok, bool advisory = false) {
    results.push_back({device, variant_name, rule, std::move(limit), std::move(actual), ok, advisory});
  };
  auto count = [&](const char* rule, const std::optional<uint64_t>& limit) {
    if (!limit) return;
    const Json* run = perf ? Run(*perf, "interp") : nullptr;
    if (!run || !Has(*run, rule)) return add(rule, Instructions(*limit), "skipped: not measured", true);
    uint64_t actual = U64(*run, rule);
    add(rule, Instructions(*limit), Instructions(actual) + " (interp)", actual <= *limit);
  };
  count("startup_instructions", rules.startup_instructions);
  count("frame_instructions_p99", rules.frame_instructions_p99);
  count("input_instructions_p99", rules.input_instructions_p99);
  auto time = [&](const char* rule, const std::optional<double>& limit) {
    if (!limit) return;
    std::string engine = perf ? DeviceEngine(*perf, device) : "interp";
    const Json* run = perf ? Run(*perf, engine) : nullptr;
    if (!run || !Has(*run, rule)) return add(rule, Ms(*limit), "skipped: not measured", true);
    double actual = Num(*run, rule);
    bool within = actual <= *limit;
    if (within || rules.strict_time) return add(rule, Ms(*limit), Ms(actual) + " (" + engine + ")", within);
    add(rule, Ms(*limit), Ms(actual) + " (" + engine + "; over, advisory: the profile is not strict)", true,
        /*advisory=*/true);
  };
  time("startup_ms", rules.startup_ms);
  time("frame_ms_p99", rules.frame_ms_p99);
  time("input_ms_p99", rules.input_ms_p99);
}

std::vector<std::string> PerfFacts(const Json& variant) {
  std::vector<std::string> facts;
  const Json* perf = Field(variant, "perf");
  const Json* runs = perf ? Field(*perf, "runs") : nullptr;
  if (!runs || !runs->is_object()) return facts;
  for (const auto& [engine, run] : runs->items()) {
    if (!run.is_object()) continue;
    std::string line = "performance (" + engine + ", " + Str(*perf, "script") + "): startup " +
                       Ms(Num(run, "startup_ms")) + ", frame p99 " + Ms(Num(run, "frame_ms_p99")) + ", input p99 " +
                       Ms(Num(run, "input_ms_p99"));
    if (U64(run, "startup_instructions") > 0) {
      line += "; instructions: startup " + Grouped(U64(run, "startup_instructions")) + ", frame p99 " +
              Grouped(U64(run, "frame_instructions_p99")) + ", input p99 " +
              Grouped(U64(run, "input_instructions_p99"));
    }
    facts.push_back(line);
  }
  return facts;
}

}  // namespace ws::size
