// The tables of a report.json, shared by the text, Markdown and HTML
// renderers (which lay them out differently). Internal to size-reports.
#pragma once

#include <string>

#include "size-reports/format.h"
#include "size-reports/size_reports.h"

namespace ws::size::tables {

// One row per variant: devices, module and bundle sizes, budget status.
Table Summary(const Json& report);
// Build timings: total, compile, link, optimize, bundle (and the
// variant's own link/optimize/bundle when `variant` is given).
Table Timings(const Json& timings_ms);
// Components of a variant: bytes, % of the module, functions, the
// compressed estimate and its % of the payload.
Table Components(const Json& variant);
// The component tree (component → file or system → composable), indented,
// with what no child holds as "(other)"; empty for reports without one.
Table ComponentTree(const Json& variant);
// "97.1% of code bytes have a named home (...)", "" without the figures.
std::string AttributionLine(const Json& variant);
// The largest `top` functions (0: all) and a "(N others)" row.
Table Functions(const Json& variant, size_t top);
// Trap sites, frame-path ones first.
Table Traps(const Json& variant);
// Per-pass savings.
Table Passes(const Json& variant);
// The variant's budget results; violations marked "fail".
Table Budgets(const Json& report, const std::string& variant);
// Cache statistics in one line: "cache: 3 hits, 1 miss (0 corrupt)".
std::string CacheLine(const Json& report);
// Module / bundle / delta facts of a variant, one per line ("module:
// catalog-base-128m-release.wasm, 152,027 bytes (148.5 KiB)").
std::vector<std::string> Facts(const Json& variant);
// "3 of 12 budget checks failed" / "all 12 budget checks passed" /
// "budgets not checked".
std::string BudgetVerdict(const Json& report);

}  // namespace ws::size::tables
