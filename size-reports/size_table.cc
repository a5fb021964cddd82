// `wasmship size FILE [--diff OTHER]`: a module's sections, components and
// largest functions (like bloaty / twiggy top), or what changed between two
// modules, as text, JSON, Markdown or a small HTML page.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_page.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

std::string Pct(uint64_t part, uint64_t whole) { return Percent(Share(part, whole)); }

size_t Shown(size_t count, size_t top) { return top == 0 ? count : std::min(count, top); }

// "runtime/layout", "app/src/main.cpp/Root": where a function's code is.
std::string Home(const FunctionSize& f) {
  std::string home = f.component;
  if (!f.part.empty()) home += "/" + f.part;
  if (!f.composable.empty()) home += "/" + f.composable;
  return home;
}

// The tree as indented rows; what no child holds as "(other)".
void TreeRows(Table& table, const std::vector<Rollup>& nodes, size_t level, uint64_t file_bytes) {
  std::string indent(2 * level, ' ');
  for (const Rollup& n : nodes) {
    table.Row({indent + n.name, n.kind, Grouped(n.bytes), Pct(n.bytes, file_bytes), std::to_string(n.functions)});
    if (n.children.empty()) continue;
    TreeRows(table, n.children, level + 1, file_bytes);
    uint64_t bytes = n.bytes;
    uint32_t count = n.functions;
    for (const Rollup& c : n.children) bytes -= c.bytes, count -= c.functions;
    if (bytes == 0) continue;
    table.Row({indent + "  (other)", "", Grouped(bytes), Pct(bytes, file_bytes), std::to_string(count)});
  }
}

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
    for (size_t i = 0; i < shown; ++i) out["functions"].push_back(FunctionJson(functions[i]));
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

  Table tree_table({{"COMPONENT / FILE OR SYSTEM / COMPOSABLE", Table::kLeft, true},
                    {"KIND"},
                    {"BYTES", Table::kRight},
                    {"%", Table::kRight},
                    {"FUNCTIONS", Table::kRight}});
  TreeRows(tree_table, sizes.tree, 0, sizes.file_bytes);

  Table function_table(
      {{"BYTES", Table::kRight}, {"%", Table::kRight}, {"COMPONENT"}, {"FUNCTION", Table::kLeft, true}});
  for (size_t i = 0; i < shown; ++i) {
    const FunctionSize& f = functions[i];
    function_table.Row({Grouped(f.bytes), Pct(f.bytes, sizes.file_bytes), Home(f), f.name});
  }
  if (shown < functions.size()) {
    function_table.Row({Grouped(other_bytes), Pct(other_bytes, sizes.file_bytes), "",
                        "(" + std::to_string(functions.size() - shown) + " others)"});
  }

  Attributed attributed = AttributionOf(sizes);
  std::string summary = Grouped(sizes.file_bytes) + " bytes (" + HumanBytes(sizes.file_bytes) + "), " +
                        std::to_string(functions.size()) + " functions; " +
                        Percent(Share(attributed.named_bytes, attributed.code_bytes)) +
                        " of code bytes have a named home (app and runtime: " +
                        Percent(Share(attributed.app_runtime_named, attributed.app_runtime_bytes)) +
                        " in a file or system)";
  std::string function_title = shown < functions.size() ? "Functions (top " + std::to_string(shown) + " of " +
                                                              std::to_string(functions.size()) + ")"
                                                        : "Functions";
  return Page(
      file_label, summary,
      {{"Sections", section_table},
       {"Components", component_table},
       {"Component tree", tree_table},
       {function_title, function_table}},
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

// The tree's parts ("app/src/main.cpp", "runtime/layout") or composables
// ("app/src/main.cpp/Root") by path, for Match.
struct Named {
  std::string name;
  uint64_t bytes = 0;
};
std::vector<Named> Flatten(const std::vector<Rollup>& tree, bool composables) {
  std::vector<Named> out;
  for (const Rollup& component : tree) {
    for (const Rollup& part : component.children) {
      std::string path = component.name + "/" + part.name;
      if (!composables) out.push_back({path, part.bytes});
      if (!composables) continue;
      for (const Rollup& c : part.children) out.push_back({path + "/" + c.name, c.bytes});
    }
  }
  return out;
}

}  // namespace

std::string RenderSizeDiff(const ModuleSizes& base, const ModuleSizes& head, const std::string& base_label,
                           const std::string& head_label, Format format, size_t top) {
  std::vector<DiffRow> sections = Match(base.sections, head.sections);
  std::vector<DiffRow> components = Match(base.components, head.components);
  std::vector<DiffRow> parts = Match(Flatten(base.tree, false), Flatten(head.tree, false));
  std::vector<DiffRow> composables = Match(Flatten(base.tree, true), Flatten(head.tree, true));
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
                {"parts", RowsJson(parts, parts.size())},
                {"composables", RowsJson(composables, composables.size())},
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
               {"Files and systems", DiffTable("FILE OR SYSTEM", parts, parts.size(), false)},
               {"Composables", DiffTable("COMPOSABLE", composables, composables.size(), false)},
               {function_title, function_table},
               {"Total", DiffTable("TOTAL", {total}, 1, false)}},
              format);
}

}  // namespace ws::size
