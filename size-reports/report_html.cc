// RenderReportHtml: report.json as one self-contained page (inline CSS and
// script, no network): the same tables as the text report and a treemap
// of components → files/systems → composables → functions, drawn by the
// inline script from an embedded JSON block (treemap_data.h).
#include <map>

#include "size-reports/report_html_assets.h"
#include "size-reports/report_tables.h"
#include "size-reports/report_view.h"
#include "size-reports/treemap_data.h"

namespace ws::size {
namespace {

using namespace view;

void Section(std::string& out, const std::string& title, const Table& table, bool fold = false) {
  if (table.empty()) return;
  if (fold) {
    out += "<details><summary>" + EscapeHtml(title) + "</summary>\n" + table.Html() + "</details>\n";
  } else {
    out += "<h3>" + EscapeHtml(title) + "</h3>\n" + table.Html();
  }
}

}  // namespace

std::string RenderReportHtml(const Json& report) {
  const Json* app = Field(report, "app");
  std::string title = "wasmship report: " + (app ? Str(*app, "name") + " " + Str(*app, "version") : "build") +
                      " (" + Str(report, "profile", "?") + ")";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      EscapeHtml(title) + "</title>\n<style>" + kReportCss + "</style>\n</head>\n<body>\n";
  out += "<h1>" + EscapeHtml(title) + "</h1>\n";
  size_t failed = FailedBudgets(report);
  out += std::string("<div class=\"verdict ") + (failed ? "fail" : "ok") + "\">" +
         EscapeHtml(tables::BudgetVerdict(report)) + "</div>\n";
  if (std::string cache = tables::CacheLine(report); !cache.empty()) {
    out += "<p class=\"meta\">" + EscapeHtml(cache) + "</p>\n";
  }
  out += "<h2>Variants</h2>\n" + tables::Summary(report).Html();

  out +=
      "<h2>Where the bytes go</h2>\n<div id=\"ws-treemap-controls\"><select id=\"ws-variant\" "
      "aria-label=\"variant\"></select><span id=\"ws-crumb\"></span></div>\n<div id=\"ws-treemap\"></div>\n"
      "<p class=\"meta legend\">";
  // The script's colours (report_html_assets.cc).
  for (auto [name, color] : {std::pair{"runtime", "#3367d6"},
                             {"app", "#2e9e5b"},
                             {"libc++", "#e8710a"},
                             {"libc", "#8e44ad"},
                             {"compiler-rt", "#7f8c8d"},
                             {"data", "#00897b"},
                             {"module", "#546e7a"}}) {
    out += std::string("<span style=\"background:") + color + "\"></span>" + name;
  }
  out += "</p>\n";
  if (const Json* timings = Field(report, "timings_ms"))
    Section(out, "Build timings", tables::Timings(*timings));

  for (const Json* v : Variants(report)) {
    std::string name = Str(*v, "name");
    out +=
        "<h2 id=\"variant-" + EscapeHtml(name) + "\">" + EscapeHtml(name) + "</h2>\n<ul class=\"facts\">\n";
    for (const std::string& fact : tables::Facts(*v)) out += "<li>" + EscapeHtml(fact) + "</li>\n";
    out += "</ul>\n";
    Section(out, "Budgets", tables::Budgets(report, name));
    Section(out, "Components", tables::Components(*v));
    if (std::string line = tables::AttributionLine(*v); !line.empty()) {
      out += "<p class=\"meta\">" + EscapeHtml(line) + "</p>\n";
    }
    Section(out, "Component tree (files, systems, composables)", tables::ComponentTree(*v));
    Section(out, "Top functions", tables::Functions(*v, 50));
    Section(out, "Trap sites (frame path first)", tables::Traps(*v));
    Section(out, "Optimizer passes", tables::Passes(*v));
    if (const Json* timings = Field(*v, "timings_ms")) Section(out, "Timings", tables::Timings(*timings));
    if (const Json* size = Field(*v, "size"); size && Array(*size, "functions").size() > 50) {
      Section(out, "All " + std::to_string(Array(*size, "functions").size()) + " functions",
              tables::Functions(*v, 0), true);
    }
  }
  out += "<script type=\"application/json\" id=\"ws-treemap-data\">" + EmbeddableJson(TreemapData(report)) +
         "</script>\n<script>" + kReportScript + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace ws::size
