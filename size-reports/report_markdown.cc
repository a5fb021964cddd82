// RenderReportMarkdown: report.json as a pull-request comment. The summary
// (sizes, budget verdict, violations) is always visible; the long tables
// are folded in <details> per variant.
#include "size-reports/report_tables.h"
#include "size-reports/report_view.h"

namespace ws::size {
namespace {

using namespace view;

void Details(std::string& out, const std::string& summary, const Table& table) {
  if (table.empty()) return;
  out +=
      "<details><summary>" + EscapeHtml(summary) + "</summary>\n\n" + table.Markdown() + "\n</details>\n\n";
}

}  // namespace

std::string RenderReportMarkdown(const Json& report, size_t top) {
  const Json* app = Field(report, "app");
  std::string title = app ? Str(*app, "name") + " " + Str(*app, "version") : "build";
  std::string out = "## wasmship: " + EscapeMarkdownCell(title) + " (" +
                    EscapeMarkdownCell(Str(report, "profile", "?")) + ")\n\n";
  size_t failed = FailedBudgets(report);
  out += (failed ? "**:x: " : ":white_check_mark: ") + tables::BudgetVerdict(report) + (failed ? "**" : "") +
         "\n\n";
  out += tables::Summary(report).Markdown() + "\n";

  if (failed) {
    Table violations(
        {{"DEVICE"}, {"VARIANT"}, {"RULE"}, {"LIMIT", Table::kRight}, {"ACTUAL", Table::kRight}});
    for (const Json* r : BudgetResults(report)) {
      if (!Bool(*r, "ok", true)) {
        violations.Row(
            {Str(*r, "device"), Str(*r, "variant"), Str(*r, "rule"), Str(*r, "limit"), Str(*r, "actual")});
      }
    }
    out += "### Budget violations\n\n" + violations.Markdown() + "\n";
  }
  if (const Json* timings = Field(report, "timings_ms")) {
    std::string line;
    for (const char* stage : {"total", "compile", "link", "optimize", "bundle"}) {
      if (!Has(*timings, stage)) continue;
      line += (line.empty() ? "" : " · ") + std::string(stage) + " " + Millis(Num(*timings, stage));
    }
    if (!line.empty()) out += "Build time: " + line + "  \n";
  }
  if (std::string cache = tables::CacheLine(report); !cache.empty()) out += cache + "\n\n";

  for (const Json* v : Variants(report)) {
    std::string name = Str(*v, "name");
    out += "### " + EscapeMarkdownCell(name) + "\n\n";
    for (const std::string& fact : tables::Facts(*v)) out += "- " + EscapeMarkdownCell(fact) + "\n";
    out += "\n";
    Table components = tables::Components(*v);
    if (!components.empty()) out += components.Markdown() + "\n";
    if (std::string line = tables::AttributionLine(*v); !line.empty()) out += EscapeMarkdownCell(line) + "\n\n";
    Details(out, "Component tree (files, systems, composables)", tables::ComponentTree(*v));
    Details(out, top ? "Top " + std::to_string(top) + " functions" : "Functions", tables::Functions(*v, top));
    Table traps = tables::Traps(*v);
    uint64_t frame = FrameTrapCount(*v);
    Details(out, "Trap sites (" + std::to_string(frame) + " on the frame path)", traps);
    Details(out, "Optimizer passes", tables::Passes(*v));
    if (const Json* timings = Field(*v, "timings_ms")) Details(out, "Timings", tables::Timings(*timings));
    Details(out, "Budgets", tables::Budgets(report, name));
  }
  return out;
}

}  // namespace ws::size
