// RenderJUnit: the budget results of report.json as JUnit XML, which CI
// systems show as test results: one testcase per device × rule.
#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_reports.h"

namespace ws::size {

std::string RenderJUnit(const Json& report) {
  std::vector<const Json*> results = view::BudgetResults(report);
  size_t failures = view::FailedBudgets(report);
  size_t skipped = 0;
  std::string cases;
  for (const Json* r : results) {
    std::string device = view::Str(*r, "device"), rule = view::Str(*r, "rule");
    std::string limit = view::Str(*r, "limit"), actual = view::Str(*r, "actual");
    std::string variant = view::Str(*r, "variant");
    cases += "    <testcase classname=\"" + EscapeXml(device) + "\" name=\"" + EscapeXml(rule) + "\">\n";
    if (!view::Bool(*r, "ok", true)) {
      std::string message =
          rule + ": " + actual + " exceeds the limit " + limit + " (variant " + variant + ")";
      cases += "      <failure message=\"" + EscapeXml(message) + "\" type=\"budget\">" + EscapeXml(message) +
               "</failure>\n";
    } else if (actual.starts_with("skipped")) {
      ++skipped;
      cases += "      <skipped message=\"" + EscapeXml(actual) + "\"/>\n";
    }
    cases += "      <system-out>" +
             EscapeXml("variant " + variant + ": " + actual + " (limit " + limit + ")") +
             "</system-out>\n    </testcase>\n";
  }
  std::string counts = "tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
                       std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) +
                       "\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites " + counts +
         ">\n  <testsuite name=\"wasmship budgets\" " + counts + ">\n" + cases +
         "  </testsuite>\n</testsuites>\n";
}

}  // namespace ws::size
