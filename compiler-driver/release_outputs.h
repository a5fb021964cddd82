// What a finished build writes beside its bundles, and its budget gate
// (also used by `wasmship budget check` on a finished build).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/manifest.h"
#include "compiler-driver/output_set.h"
#include "diagnostics/diagnostic.h"
#include "diagnostics/result.h"
#include "size-reports/size_reports.h"

namespace ws {

// Checks the manifest's budgets against `report` (and the baseline report
// at `baseline_path`, if any), stores the results under report["budgets"]
// and returns them; nullopt with a diagnostic when the baseline is unusable.
std::optional<size::Json> CheckReportBudgets(const Manifest& manifest, const std::string& baseline_path,
                                             size::Json& report, DiagnosticSink& sink);

// One line per violated budget: "tv-2019 (base-128m-release): bundle is 412.3 KiB, over its limit of 400 KiB".
std::vector<std::string> BudgetViolations(const size::Json& budgets);
// The same for time budgets that were over but only advisory (a profile without `strict: true`).
std::vector<std::string> BudgetWarnings(const size::Json& budgets);

// dist/index.json, report.json, report.md, report.html and, when budgets
// were checked, report.junit.xml (else an earlier one is removed), staged
// into the build's outputs. Like the modules, they are left alone when only
// the timings would change: the returned fingerprint of the rest, written
// to `stamp_path` once the outputs are committed, lets a build after a
// no-op build neither render nor write them (nothing staged, empty result).
// Those files' names (relative to the output directory) and contents, as
// `report` (the build's report.json document) makes them; `wasmship merge`
// renders a merged report with it.
std::vector<std::pair<std::string, std::string>> RenderReleaseOutputs(const size::Json& report);

Result<std::string> StageReleaseOutputs(OutputSet& outputs, const size::Json& report, const std::string& stamp_path);

}  // namespace ws
