// RenderReportText: report.json for a terminal or a CI log.
#include "size-reports/report_tables.h"
#include "size-reports/report_view.h"

namespace ws::size {
namespace {

using namespace view;

void Block(std::string& out, const std::string& title, const Table& table) {
  if (table.empty()) return;
  out += "\n  " + title + "\n" + table.Text("    ");
}

}  // namespace

std::string RenderReportText(const Json& report, size_t top) {
  const Json* app = Field(report, "app");
  std::string out =
      "wasmship report: " + (app ? Str(*app, "name") + " " + Str(*app, "version") : "(no app)") + " (" +
      Str(report, "profile", "?") + ")\n";
  if (std::string cache = tables::CacheLine(report); !cache.empty()) out += cache + "\n";
  out += tables::BudgetVerdict(report) + "\n";
  if (const Json* timings = Field(report, "timings_ms"))
    out += "\nTimings\n" + tables::Timings(*timings).Text();
  out += "\nVariants\n" + tables::Summary(report).Text();

  for (const Json* v : Variants(report)) {
    std::string name = Str(*v, "name");
    out += "\n== " + name + " ==\n";
    for (const std::string& fact : tables::Facts(*v)) out += "  " + fact + "\n";
    Block(out, "Components", tables::Components(*v));
    if (std::string line = tables::AttributionLine(*v); !line.empty()) out += "  " + line + "\n";
    Block(out, "Component tree", tables::ComponentTree(*v));
    size_t count = Has(*v, "size") ? Array(*Field(*v, "size"), "functions").size() : 0;
    Block(out,
          top && top < count ? "Functions (top " + std::to_string(top) + " of " + std::to_string(count) + ")"
                             : "Functions",
          tables::Functions(*v, top));
    Block(out, "Trap sites (frame path first)", tables::Traps(*v));
    Block(out, "Passes", tables::Passes(*v));
    if (const Json* timings = Field(*v, "timings_ms")) Block(out, "Timings", tables::Timings(*timings));
    Table budgets = tables::Budgets(report, name);
    Block(out, "Budgets", budgets);
  }
  return out;
}

}  // namespace ws::size
