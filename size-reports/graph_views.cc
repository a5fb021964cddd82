// `wasmship size --dominators | --why NAME | --garbage`: twiggy's
// dominators, paths and garbage over call_graph.h, as text, JSON,
// Markdown or HTML.
#include <algorithm>
#include <cctype>
#include <map>

#include "size-reports/format.h"
#include "size-reports/size_page.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

// Each node's function (by node id = index - imported); null for a
// function the analysis did not see (never, for the same module).
class Functions {
 public:
  Functions(const ModuleSizes& sizes, const CallGraph& graph) : graph_(graph) {
    by_node_.assign(graph.Count(), nullptr);
    for (const FunctionSize& f : sizes.functions) {
      if (graph.Defined(f.index)) by_node_[f.index - graph.imported] = &f;
    }
  }
  std::string Name(uint32_t node) const {
    return by_node_[node] ? by_node_[node]->name : "func[" + std::to_string(node + graph_.imported) + "]";
  }
  std::string Home(uint32_t node) const {
    const FunctionSize* f = by_node_[node];
    if (!f) return "";
    return f->part.empty() ? f->component : f->component + "/" + f->part;
  }
  const FunctionSize* At(uint32_t node) const { return by_node_[node]; }

 private:
  const CallGraph& graph_;
  std::vector<const FunctionSize*> by_node_;
};

std::string RootLabel(const CallGraph& graph, uint32_t node) {
  for (const Root& r : graph.roots) {
    if (r.function - graph.imported != node) continue;
    switch (r.kind) {
      case Root::kExport: return "export \"" + r.name + "\"";
      case Root::kStart: return "start";
      case Root::kTable: return "table";
    }
  }
  return "";
}

Json RootsJson(const CallGraph& graph) {
  Json out = Json::array();
  for (const Root& r : graph.roots) {
    const char* kind = r.kind == Root::kExport ? "export" : r.kind == Root::kStart ? "start" : "table";
    Json item = {{"kind", kind}, {"function", r.function}};
    if (r.kind == Root::kExport) item["name"] = r.name;
    out.push_back(std::move(item));
  }
  return out;
}

std::string Dump(const Json& doc) { return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

struct TreeWalk {
  const CallGraph& graph;
  const Dominators& dom;
  const Functions& functions;
  uint64_t file_bytes;
  size_t rows;
  size_t depth;
  Table table{{{"RETAINED", Table::kRight},
               {"%", Table::kRight},
               {"SHALLOW", Table::kRight},
               {"COMPONENT"},
               {"FUNCTION", Table::kLeft, true}}};
  size_t shown = 0;

  Json NodeJson(uint32_t node, size_t level) const {
    Json item = {{"index", node + graph.imported},
                 {"name", functions.Name(node)},
                 {"component", functions.Home(node)},
                 {"shallow", graph.size[node]},
                 {"retained", dom.retained[node]}};
    if (depth == 0 || level + 1 < depth) {
      Json children = Json::array();
      for (uint32_t c : dom.children[node]) children.push_back(NodeJson(c, level + 1));
      if (!children.empty()) item["children"] = std::move(children);
    }
    return item;
  }

  void Rows(uint32_t node, size_t level) {
    if (rows != 0 && shown >= rows) return;
    ++shown;
    std::string indent = level == 0 ? "" : std::string(2 * (level - 1), ' ') + "└ ";
    table.Row({Grouped(dom.retained[node]), Percent(Share(dom.retained[node], file_bytes)), Grouped(graph.size[node]),
               functions.Home(node), indent + functions.Name(node)});
    if (depth != 0 && level + 1 >= depth) return;
    for (uint32_t c : dom.children[node]) Rows(c, level + 1);
  }
};

// Nodes whose name is `query`, else contains it (case insensitive).
std::vector<uint32_t> Matches(const Functions& functions, size_t count, const std::string& query) {
  std::vector<uint32_t> exact, partial;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string q = lower(query);
  for (uint32_t node = 0; node < count; ++node) {
    std::string name = functions.Name(node);
    if (name == query) exact.push_back(node);
    else if (lower(name).find(q) != std::string::npos) partial.push_back(node);
  }
  return exact.empty() ? partial : exact;
}

}  // namespace

std::string RenderDominators(const ModuleSizes& sizes, const CallGraph& graph, const std::string& file_label,
                             Format format, size_t rows, size_t depth) {
  Dominators dom = ComputeDominators(graph);
  Functions functions(sizes, graph);
  TreeWalk walk{graph, dom, functions, sizes.file_bytes, rows, depth};
  uint64_t code = 0;
  for (uint32_t s : graph.size) code += s;
  if (format == Format::kJson) {
    Json tree = Json::array();
    for (uint32_t node : dom.top) tree.push_back(walk.NodeJson(node, 0));
    return Dump({{"file", file_label},
                 {"file_bytes", sizes.file_bytes},
                 {"code_bytes", code},
                 {"reachable_bytes", dom.reachable_bytes},
                 {"roots", RootsJson(graph)},
                 {"dominators", std::move(tree)}});
  }
  for (uint32_t node : dom.top) walk.Rows(node, 0);
  std::string summary = Grouped(dom.reachable_bytes) + " of " + Grouped(code) + " code bytes reachable from " +
                        std::to_string(graph.roots.size()) + " roots (exports, start, table); retained size: " +
                        "a function's bytes and those only it keeps alive";
  std::string title = rows != 0 && walk.shown >= rows ? "Dominator tree (first " + std::to_string(rows) + " rows)"
                                                      : "Dominator tree";
  return Page(file_label, summary, {{title, walk.table}}, format);
}

Result<std::string> RenderWhy(const ModuleSizes& sizes, const CallGraph& graph, const std::string& query,
                              const std::string& file_label, Format format, size_t top) {
  Functions functions(sizes, graph);
  std::vector<uint32_t> matches = Matches(functions, graph.Count(), query);
  if (matches.empty()) {
    std::vector<std::string> names;
    for (uint32_t node = 0; node < graph.Count(); ++node) names.push_back(functions.Name(node));
    std::string message = "no function in " + file_label + " is named \"" + query + "\" or contains it";
    std::vector<std::string> near = NearestNames(query, names, 5);
    if (!near.empty()) {
      message += "; the nearest names:";
      for (const std::string& n : near) message += "\n  " + n;
    }
    return Error{message};
  }
  size_t total = matches.size();
  std::sort(matches.begin(), matches.end(), [&](uint32_t a, uint32_t b) {
    return graph.size[a] != graph.size[b] ? graph.size[a] > graph.size[b] : a < b;
  });
  if (top != 0 && matches.size() > top) matches.resize(top);
  Dominators dom = ComputeDominators(graph);
  std::vector<uint32_t> roots = RootNodes(graph);
  // Paths from the exports and start first: "the host calls it"; the
  // table is the fallback, since anything in it may be called indirectly.
  std::vector<uint32_t> entry;
  for (const Root& r : graph.roots) {
    if (r.kind != Root::kTable) entry.push_back(r.function - graph.imported);
  }

  Json items = Json::array();
  std::vector<Section> sections;
  for (uint32_t node : matches) {
    std::vector<uint32_t> path = ShortestPath(graph.callees, entry, node);
    if (path.empty()) path = ShortestPath(graph.callees, roots, node);
    std::vector<uint32_t> callers = Callers(graph.callees, node);
    uint32_t idom = dom.idom[node];
    std::string dominator = idom == Dominators::kRoot          ? "(root)"
                            : idom == Dominators::kUnreachable ? "(unreachable)"
                                                               : functions.Name(idom);
    std::string root = path.empty() ? "" : RootLabel(graph, path.front());
    if (format == Format::kJson) {
      Json steps = Json::array();
      for (uint32_t p : path) steps.push_back({{"index", p + graph.imported}, {"name", functions.Name(p)}});
      Json caller_names = Json::array();
      for (uint32_t c : callers) caller_names.push_back(functions.Name(c));
      items.push_back({{"index", node + graph.imported},
                       {"name", functions.Name(node)},
                       {"component", functions.Home(node)},
                       {"shallow", graph.size[node]},
                       {"retained", dom.retained[node]},
                       {"reachable", !path.empty()},
                       {"root", root},
                       {"path", std::move(steps)},
                       {"callers", std::move(caller_names)},
                       {"dominator", dominator}});
      continue;
    }
    Table table({{"STEP"}, {"BYTES", Table::kRight}, {"COMPONENT"}, {"FUNCTION", Table::kLeft, true}});
    for (size_t i = 0; i < path.size(); ++i) {
      table.Row({i == 0 ? root : "calls", Grouped(graph.size[path[i]]), functions.Home(path[i]),
                 functions.Name(path[i])});
    }
    if (path.empty()) table.Row({"unreachable", "", "", "no export, start or table entry reaches it (--garbage)"});
    for (size_t i = 0; i < callers.size() && i < 5; ++i) {
      table.Row({"called by", Grouped(graph.size[callers[i]]), functions.Home(callers[i]), functions.Name(callers[i])});
    }
    if (callers.size() > 5) table.Row({"called by", "", "", "(" + std::to_string(callers.size() - 5) + " others)"});
    table.Row({"dominator", "", "", dominator});
    sections.push_back({functions.Name(node) + " (" + Grouped(graph.size[node]) + " bytes, retains " +
                            Grouped(dom.retained[node]) + ")",
                        std::move(table)});
  }
  if (format == Format::kJson) {
    return Dump({{"file", file_label}, {"query", query}, {"matches", total}, {"functions", std::move(items)}});
  }
  std::string summary = std::to_string(total) + " function" + (total == 1 ? "" : "s") + " matching \"" + query +
                        "\"" + (matches.size() < total ? " (first " + std::to_string(matches.size()) + " shown)" : "") +
                        "; each with its shortest call path from an export, the start function or the table";
  return Page(file_label, summary, sections, format);
}

std::string RenderGarbage(const ModuleSizes& sizes, const CallGraph& graph, const std::string& file_label,
                          Format format, size_t top) {
  Functions functions(sizes, graph);
  std::vector<uint32_t> garbage = Unreachable(graph.callees, RootNodes(graph));
  std::sort(garbage.begin(), garbage.end(), [&](uint32_t a, uint32_t b) {
    return graph.size[a] != graph.size[b] ? graph.size[a] > graph.size[b] : a < b;
  });
  uint64_t bytes = 0;
  for (uint32_t node : garbage) bytes += graph.size[node];
  size_t shown = top == 0 ? garbage.size() : std::min(top, garbage.size());
  if (format == Format::kJson) {
    Json items = Json::array();
    for (size_t i = 0; i < shown; ++i) {
      uint32_t node = garbage[i];
      items.push_back({{"index", node + graph.imported},
                       {"name", functions.Name(node)},
                       {"component", functions.Home(node)},
                       {"bytes", graph.size[node]}});
    }
    return Dump({{"file", file_label},
                 {"unreachable_functions", garbage.size()},
                 {"unreachable_bytes", bytes},
                 {"functions", std::move(items)},
                 {"other_functions", garbage.size() - shown}});
  }
  Table table({{"BYTES", Table::kRight}, {"%", Table::kRight}, {"COMPONENT"}, {"FUNCTION", Table::kLeft, true}});
  for (size_t i = 0; i < shown; ++i) {
    uint32_t node = garbage[i];
    table.Row({Grouped(graph.size[node]), Percent(Share(graph.size[node], sizes.file_bytes)), functions.Home(node),
               functions.Name(node)});
  }
  if (shown < garbage.size()) table.Row({"", "", "", "(" + std::to_string(garbage.size() - shown) + " others)"});
  std::string summary = std::to_string(garbage.size()) + " function" + (garbage.size() == 1 ? "" : "s") + ", " +
                        Grouped(bytes) + " bytes, that no export, start function or table entry reaches";
  return Page(file_label, summary, {{"Unreachable code", table}}, format);
}

}  // namespace ws::size
