// `wasmship size FILE [--diff OTHER]`: a module's sections, components and
// largest functions (like bloaty / twiggy top), or what changed between two
// modules, as text, JSON, Markdown or a small HTML page.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

struct Section {
  std::string title;
  Table table;
};

std::string Page(const std::string& title, const std::string& summary, const std::vector<Section>& sections,
                 Format format) {
  std::string out;
  switch (format) {
    case Format::kMarkdown:
      out = "### " + EscapeMarkdownCell(title) + "\n\n" + summary + "\n";
      for (const Section& s : sections) out += "\n**" + s.title + "**\n\n" + s.table.Markdown();
      return out;
    case Format::kHtml:
      out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + EscapeHtml(title) +
            "</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}"
            "table{border-collapse:collapse;margin:8px 0 24px}th,td{padding:3px 10px;border-bottom:1px solid "
            "#e3e6ee;"
            "text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
            "td.name{font-family:ui-monospace,monospace;word-break:break-all}tr.grew td{color:#b3261e}"
            "tr.shrank td{color:#1e7b34}</style></head>\n<body>\n<h1>" +
            EscapeHtml(title) + "</h1>\n<p>" + EscapeHtml(summary) + "</p>\n";
      for (const Section& s : sections) out += "<h2>" + EscapeHtml(s.title) + "</h2>\n" + s.table.Html();
      return out + "</body></html>\n";
    case Format::kText:
    case Format::kJson:  // JSON is rendered before a page is made
      break;
  }
  out = title + ": " + summary + "\n";
  for (const Section& s : sections) out += "\n" + s.title + "\n" + s.table.Text();
  return out;
}

std::string Pct(uint64_t part, uint64_t whole) { return Percent(Share(part, whole)); }

size_t Shown(size_t count, size_t top) { return top == 0 ? count : std::min(count, top); }

}  // namespace

std::string RenderSizes(const ModuleSizes& sizes, const std::string& file_label, Format format, size_t top) {
  std::vector<FunctionSize> functions = sizes.functions;
  std::sort(functions.begin(), functions.end(), [](const FunctionSize& a, const FunctionSize& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.name != b.name ? a.name < b.name : a.index < b.index;
  });
  size_t shown = Shown(functions.size(), top);
  uint64_t other_bytes = 0;
  for (size_t i = shown; i < functions.size(); ++i) other_bytes += functions[i].bytes;

  if (format == Format::kJson) {
    Json out = ToJson(sizes);
    out["functions"] = Json::array();
    for (size_t i = 0; i < shown; ++i) {
      const FunctionSize& f = functions[i];
      out["functions"].push_back({{"index", f.index},
                                  {"name", f.name},
                                  {"component", f.component},
                                  {"offset", f.offset},
                                  {"bytes", f.bytes}});
    }
    out["other_functions"] = {{"count", functions.size() - shown}, {"bytes", other_bytes}};
    Json doc = {{"file", file_label}};
    doc.update(out);
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

  std::vector<SectionSize> sections = sizes.sections;
  std::sort(sections.begin(), sections.end(), [](const SectionSize& a, const SectionSize& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.name != b.name ? a.name < b.name : a.offset < b.offset;
  });
  Table section_table({{"SECTION", Table::kLeft, true}, {"BYTES", Table::kRight}, {"%", Table::kRight}});
  for (const SectionSize& s : sections)
    section_table.Row({s.name, Grouped(s.bytes), Pct(s.bytes, sizes.file_bytes)});

  bool compressed = std::any_of(sizes.components.begin(), sizes.components.end(),
                                [](const ComponentSize& c) { return c.compressed_estimate > 0; });
  std::vector<Table::Column> component_columns = {
      {"COMPONENT"}, {"BYTES", Table::kRight}, {"%", Table::kRight}, {"FUNCTIONS", Table::kRight}};
  if (compressed) component_columns.push_back({"COMPRESSED", Table::kRight});
  Table component_table(component_columns);
  for (const ComponentSize& c : sizes.components) {
    std::vector<std::string> row = {c.name, Grouped(c.bytes), Pct(c.bytes, sizes.file_bytes),
                                    std::to_string(c.functions)};
    if (compressed) row.push_back(Grouped(c.compressed_estimate));
    component_table.Row(row);
  }

  Table function_table(
      {{"BYTES", Table::kRight}, {"%", Table::kRight}, {"COMPONENT"}, {"FUNCTION", Table::kLeft, true}});
  for (size_t i = 0; i < shown; ++i) {
    const FunctionSize& f = functions[i];
    function_table.Row({Grouped(f.bytes), Pct(f.bytes, sizes.file_bytes), f.component, f.name});
  }
  if (shown < functions.size()) {
    function_table.Row({Grouped(other_bytes), Pct(other_bytes, sizes.file_bytes), "",
                        "(" + std::to_string(functions.size() - shown) + " others)"});
  }

  std::string summary = Grouped(sizes.file_bytes) + " bytes (" + HumanBytes(sizes.file_bytes) + "), " +
                        std::to_string(functions.size()) + " functions";
  std::string function_title = shown < functions.size() ? "Functions (top " + std::to_string(shown) + " of " +
                                                              std::to_string(functions.size()) + ")"
                                                        : "Functions";
  return Page(
      file_label, summary,
      {{"Sections", section_table}, {"Components", component_table}, {function_title, function_table}},
      format);
}

namespace {

struct DiffRow {
  std::string name;
  uint64_t base = 0;
  uint64_t head = 0;
  bool in_base = false;
  bool in_head = false;
  int64_t delta() const { return static_cast<int64_t>(head) - static_cast<int64_t>(base); }
  std::string Status() const {
    if (!in_base) return "new";
    if (!in_head) return "removed";
    return SignedPercent(Share(static_cast<double>(delta()), static_cast<double>(base)));
  }
  std::string Mark() const { return delta() > 0 ? "grew" : delta() < 0 ? "shrank" : ""; }
};

// Rows of both sides matched by name (equal names summed), by |delta|
// descending, then by head size, then by name.
template <typename T>
std::vector<DiffRow> Match(const std::vector<T>& base, const std::vector<T>& head) {
  std::map<std::string, DiffRow> rows;
  for (const T& x : base) {
    DiffRow& r = rows[x.name];
    r.name = x.name, r.base += x.bytes, r.in_base = true;
  }
  for (const T& x : head) {
    DiffRow& r = rows[x.name];
    r.name = x.name, r.head += x.bytes, r.in_head = true;
  }
  std::vector<DiffRow> out;
  for (auto& [name, row] : rows) out.push_back(std::move(row));
  std::sort(out.begin(), out.end(), [](const DiffRow& a, const DiffRow& b) {
    if (std::llabs(a.delta()) != std::llabs(b.delta())) return std::llabs(a.delta()) > std::llabs(b.delta());
    if (a.head != b.head) return a.head > b.head;
    return a.name < b.name;
  });
  return out;
}

Json RowsJson(const std::vector<DiffRow>& rows, size_t count) {
  Json out = Json::array();
  for (size_t i = 0; i < count; ++i) {
    const DiffRow& r = rows[i];
    out.push_back(
        {{"name", r.name}, {"base", r.base}, {"head", r.head}, {"delta", r.delta()}, {"status", r.Status()}});
  }
  return out;
}

Table DiffTable(const std::string& what, const std::vector<DiffRow>& rows, size_t count, bool name_last) {
  std::vector<Table::Column> columns = {
      {"BASE", Table::kRight}, {"HEAD", Table::kRight}, {"DELTA", Table::kRight}, {"%", Table::kRight}};
  Table::Column name = {what, Table::kLeft, true};
  columns.insert(name_last ? columns.end() : columns.begin(), name);
  Table table(columns);
  for (size_t i = 0; i < count; ++i) {
    const DiffRow& r = rows[i];
    std::vector<std::string> cells = {Grouped(r.base), Grouped(r.head), SignedGrouped(r.delta()), r.Status()};
    cells.insert(name_last ? cells.end() : cells.begin(), r.name);
    table.Row(cells, r.Mark());
  }
  return table;
}

}  // namespace

std::string RenderSizeDiff(const ModuleSizes& base, const ModuleSizes& head, const std::string& base_label,
                           const std::string& head_label, Format format, size_t top) {
  std::vector<DiffRow> sections = Match(base.sections, head.sections);
  std::vector<DiffRow> components = Match(base.components, head.components);
  std::vector<DiffRow> functions = Match(base.functions, head.functions);
  std::erase_if(functions, [](const DiffRow& r) { return r.delta() == 0 && r.in_base && r.in_head; });
  size_t shown = Shown(functions.size(), top);
  int64_t other_delta = 0;
  for (size_t i = shown; i < functions.size(); ++i) other_delta += functions[i].delta();
  DiffRow total{"file", base.file_bytes, head.file_bytes, true, true};

  if (format == Format::kJson) {
    Json out = {{"base", base_label},
                {"head", head_label},
                {"file", {{"base", total.base}, {"head", total.head}, {"delta", total.delta()}}},
                {"sections", RowsJson(sections, sections.size())},
                {"components", RowsJson(components, components.size())},
                {"functions", RowsJson(functions, shown)},
                {"other_functions", {{"count", functions.size() - shown}, {"delta", other_delta}}}};
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

  Table function_table = DiffTable("FUNCTION", functions, shown, true);
  if (shown < functions.size()) {
    function_table.Row({"", "", SignedGrouped(other_delta), "",
                        "(" + std::to_string(functions.size() - shown) + " others changed)"});
  }
  std::string summary = Grouped(base.file_bytes) + " -> " + Grouped(head.file_bytes) + " bytes (" +
                        SignedGrouped(total.delta()) + ", " + total.Status() + ")";
  std::string function_title = functions.empty() ? "Functions (none changed)"
                               : shown < functions.size()
                                   ? "Functions (top " + std::to_string(shown) + " of " +
                                         std::to_string(functions.size()) + " changed)"
                                   : "Functions (" + std::to_string(functions.size()) + " changed)";
  return Page(base_label + " -> " + head_label, summary,
              {{"Sections", DiffTable("SECTION", sections, sections.size(), false)},
               {"Components", DiffTable("COMPONENT", components, components.size(), false)},
               {function_title, function_table},
               {"Total", DiffTable("TOTAL", {total}, 1, false)}},
              format);
}

}  // namespace ws::size
