// RenderReportHtml: report.json as one self-contained page (inline CSS and
// script, no network): the same tables as the text report and a treemap
// of components → functions drawn by the inline script from an embedded
// JSON block.
#include <map>

#include "size-reports/report_html_assets.h"
#include "size-reports/report_tables.h"
#include "size-reports/report_view.h"

namespace ws::size {
namespace {

using namespace view;

// The treemap's data: per variant, components with their functions (or,
// for "module" and "data", their sections).
Json TreemapData(const Json& report) {
  Json variants = Json::array();
  for (const Json* v : Variants(report)) {
    const Json* size = Field(*v, "size");
    if (!size) continue;
    std::map<std::string, Json> items;
    for (const Json& f : Array(*size, "functions")) {
      items[Str(f, "component", "app")].push_back(
          {{"name", Str(f, "name", "func[" + std::to_string(U64(f, "index")) + "]")},
           {"bytes", U64(f, "bytes")},
           {"kind", "function"}});
    }
    uint64_t functions_in_code = 0;
    for (const Json& f : Array(*size, "functions")) functions_in_code += U64(f, "bytes");
    for (const Json& s : Array(*size, "sections")) {
      int64_t id =
          s.is_object() && s.contains("id") && s["id"].is_number_integer() ? s["id"].get<int64_t>() : -1;
      uint64_t bytes = U64(s, "bytes");
      std::string name = Str(s, "name");
      if (id == 10) {  // the code section's own header; its bodies are functions
        name = "code (section header)";
        bytes = bytes > functions_in_code ? bytes - functions_in_code : 0;
      }
      items[id == 11 || id == 12 ? "data" : "module"].push_back(
          {{"name", name}, {"bytes", bytes}, {"kind", "section"}});
    }
    Json components = Json::array();
    for (const Json& c : Array(*size, "components")) {
      std::string name = Str(c, "name");
      auto it = items.find(name);
      components.push_back({{"name", name},
                            {"bytes", U64(c, "bytes")},
                            {"items", it == items.end() ? Json::array() : it->second}});
    }
    variants.push_back(
        {{"name", Str(*v, "name")}, {"file_bytes", U64(*size, "file_bytes")}, {"components", components}});
  }
  return Json{{"variants", variants}};
}

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
