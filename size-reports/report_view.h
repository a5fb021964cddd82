// Reading report.json without exceptions: every accessor tolerates a
// missing key or a value of the wrong type (an older or hand-edited
// report) and answers with a default. Plus the orderings the renderers
// share. Internal to size-reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "size-reports/size_reports.h"

namespace ws::size::view {

// The member `key` of an object, or nullptr (also for null values).
const Json* Field(const Json& j, std::string_view key);
uint64_t U64(const Json& j, std::string_view key, uint64_t fallback = 0);
double Num(const Json& j, std::string_view key, double fallback = 0);
bool Bool(const Json& j, std::string_view key, bool fallback = false);
std::string Str(const Json& j, std::string_view key, std::string fallback = "");
bool Has(const Json& j, std::string_view key);
// The array `key` (an empty one when absent).
const Json& Array(const Json& j, std::string_view key);
// The strings of the array `key`, joined with ", ".
std::string JoinStrings(const Json& j, std::string_view key);

// report["variants"] as a list.
std::vector<const Json*> Variants(const Json& report);
// The variant named `name`, or nullptr.
const Json* FindVariant(const Json& report, const std::string& name);
// The bundle's bytes, else the module's (0 when neither is there).
uint64_t ShippedBytes(const Json& variant);

// Trap sites: frame-path ones first, then by count (unreachable +
// abort_calls) descending, then by function name.
std::vector<const Json*> SortedTraps(const Json& variant);
uint64_t TrapCount(const Json& trap);
// Σ (unreachable + abort_calls) over the frame-path trap sites.
uint64_t FrameTrapCount(const Json& variant);

// Budget results of `variant` (all variants when empty).
std::vector<const Json*> BudgetResults(const Json& report, const std::string& variant = "");
// "3 of 12 budgets failed" style counts.
size_t FailedBudgets(const Json& report);

// JSON for embedding in HTML <script>: < > & escaped as \u003c etc. so
// no "</script>" can end the block; invalid UTF-8 replaced.
std::string EmbeddableJson(const Json& j);

}  // namespace ws::size::view
