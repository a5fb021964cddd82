#include "size-reports/report_tables.h"

#include <algorithm>

#include "size-reports/report_view.h"

namespace ws::size::tables {

using namespace view;

Table Summary(const Json& report) {
  Table t({{"VARIANT"}, {"DEVICES"}, {"WASM", Table::kRight}, {"BUNDLE", Table::kRight}, {"BUDGETS"}});
  for (const Json* v : Variants(report)) {
    std::string name = Str(*v, "name");
    const Json* module = Field(*v, "module");
    const Json* bundle = Field(*v, "bundle");
    size_t checks = 0, failed = 0;
    for (const Json* r : BudgetResults(report, name)) ++checks, failed += !Bool(*r, "ok", true);
    std::string budgets = checks == 0 ? "-" : failed ? std::to_string(failed) + " failed" : "ok";
    t.Row({name, JoinStrings(*v, "devices"), module ? HumanBytes(U64(*module, "bytes")) : "-",
           bundle ? HumanBytes(U64(*bundle, "bytes")) : "-", budgets},
          failed ? "fail" : "");
  }
  return t;
}

Table Timings(const Json& timings_ms) {
  Table t({{"STAGE"}, {"TIME", Table::kRight}});
  for (const char* stage : {"total", "compile", "link", "optimize", "bundle"}) {
    if (Has(timings_ms, stage)) t.Row({stage, Millis(Num(timings_ms, stage))});
  }
  if (timings_ms.is_object()) {  // stages this list does not know yet
    for (const auto& [stage, ms] : timings_ms.items()) {
      if (ms.is_number() && stage != "total" && stage != "compile" && stage != "link" &&
          stage != "optimize" && stage != "bundle") {
        t.Row({stage, Millis(ms.get<double>())});
      }
    }
  }
  return t;
}

Table Components(const Json& variant) {
  const Json* size = Field(variant, "size");
  const Json* bundle = Field(variant, "bundle");
  uint64_t file = size ? U64(*size, "file_bytes") : 0;
  uint64_t payload = bundle ? U64(*bundle, "payload_bytes") : 0;
  Table t({{"COMPONENT"},
           {"BYTES", Table::kRight},
           {"%", Table::kRight},
           {"FUNCTIONS", Table::kRight},
           {"COMPRESSED", Table::kRight},
           {"% OF PAYLOAD", Table::kRight}});
  if (!size) return t;
  for (const Json& c : Array(*size, "components")) {
    uint64_t bytes = U64(c, "bytes"), compressed = U64(c, "compressed_estimate");
    t.Row({Str(c, "name"), Grouped(bytes), Percent(Share(bytes, file)), std::to_string(U64(c, "functions")),
           compressed ? Grouped(compressed) : "-",
           compressed && payload ? Percent(Share(compressed, payload)) : "-"});
  }
  return t;
}

namespace {

void TreeRows(Table& t, const Json& nodes, size_t level, uint64_t file) {
  if (!nodes.is_array()) return;
  std::string indent(2 * level, ' ');
  for (const Json& n : nodes) {
    uint64_t bytes = U64(n, "bytes");
    uint64_t count = U64(n, "functions");
    t.Row({indent + Str(n, "name"), Str(n, "kind"), Grouped(bytes), Percent(Share(bytes, file)),
           std::to_string(count)});
    const Json* children = Field(n, "children");
    if (!children || !children->is_array() || children->empty()) continue;
    TreeRows(t, *children, level + 1, file);
    for (const Json& c : *children) bytes -= std::min(bytes, U64(c, "bytes")), count -= std::min(count, U64(c, "functions"));
    if (bytes) t.Row({indent + "  (other)", "", Grouped(bytes), Percent(Share(bytes, file)), std::to_string(count)});
  }
}

}  // namespace

Table ComponentTree(const Json& variant) {
  Table t({{"COMPONENT / FILE OR SYSTEM / COMPOSABLE", Table::kLeft, true},
           {"KIND"},
           {"BYTES", Table::kRight},
           {"%", Table::kRight},
           {"FUNCTIONS", Table::kRight}});
  const Json* size = Field(variant, "size");
  if (!size) return t;
  const Json* tree = Field(*size, "component_tree");
  if (!tree) return t;
  TreeRows(t, *tree, 0, U64(*size, "file_bytes"));
  return t;
}

std::string AttributionLine(const Json& variant) {
  const Json* size = Field(variant, "size");
  const Json* a = size ? Field(*size, "attribution") : nullptr;
  if (!a || !U64(*a, "code_bytes")) return "";
  return Percent(Share(U64(*a, "named_bytes"), U64(*a, "code_bytes"))) +
         " of code bytes have a named home (app and runtime: " +
         Percent(Share(U64(*a, "app_runtime_named_bytes"), U64(*a, "app_runtime_bytes"))) + " in a file or system)";
}

Table Functions(const Json& variant, size_t top) {
  Table t({{"BYTES", Table::kRight}, {"%", Table::kRight}, {"COMPONENT"}, {"FUNCTION", Table::kLeft, true}});
  const Json* size = Field(variant, "size");
  if (!size) return t;
  uint64_t file = U64(*size, "file_bytes");
  std::vector<const Json*> functions;
  for (const Json& f : Array(*size, "functions")) functions.push_back(&f);
  std::sort(functions.begin(), functions.end(), [](const Json* a, const Json* b) {
    uint64_t x = U64(*a, "bytes"), y = U64(*b, "bytes");
    if (x != y) return x > y;
    std::string m = Str(*a, "name"), n = Str(*b, "name");
    return m != n ? m < n : a < b;  // a < b: list order
  });
  size_t shown = top == 0 ? functions.size() : std::min(top, functions.size());
  uint64_t others = 0;
  for (size_t i = 0; i < functions.size(); ++i) {
    const Json& f = *functions[i];
    if (i >= shown) {
      others += U64(f, "bytes");
      continue;
    }
    std::string home = Str(f, "component");
    if (Has(f, "part")) home += "/" + Str(f, "part");
    if (Has(f, "composable")) home += "/" + Str(f, "composable");
    t.Row({Grouped(U64(f, "bytes")), Percent(Share(U64(f, "bytes"), file)), home,
           Str(f, "name", "func[" + std::to_string(U64(f, "index")) + "]")});
  }
  if (shown < functions.size()) {
    t.Row({Grouped(others), Percent(Share(others, file)), "",
           "(" + std::to_string(functions.size() - shown) + " others)"});
  }
  return t;
}

Table Traps(const Json& variant) {
  Table t({{"FRAME PATH"},
           {"UNREACHABLE", Table::kRight},
           {"ABORT CALLS", Table::kRight},
           {"FUNCTION", Table::kLeft, true}});
  for (const Json* trap : SortedTraps(variant)) {
    bool frame = Bool(*trap, "on_frame_path");
    t.Row({frame ? "yes" : "no", std::to_string(U64(*trap, "unreachable")),
           std::to_string(U64(*trap, "abort_calls")), Str(*trap, "function")},
          frame ? "frame" : "");
  }
  return t;
}

Table Passes(const Json& variant) {
  Table t({{"PASS"},
           {"BEFORE", Table::kRight},
           {"AFTER", Table::kRight},
           {"SAVED", Table::kRight},
           {"TIME", Table::kRight},
           {"SUMMARY"}});
  for (const Json& p : Array(variant, "passes")) {
    uint64_t before = U64(p, "bytes_before"), after = U64(p, "bytes_after");
    int64_t saved = static_cast<int64_t>(before) - static_cast<int64_t>(after);
    t.Row({Str(p, "name"), Grouped(before), Grouped(after),
           (saved < 0 ? "-" + Grouped(after - before) : Grouped(before - after)) + " (" +
               Percent(Share(saved, before)) + ")",
           Millis(Num(p, "ms")), Str(p, "summary")});
  }
  return t;
}

Table Budgets(const Json& report, const std::string& variant) {
  Table t({{"DEVICE"}, {"RULE"}, {"LIMIT", Table::kRight}, {"ACTUAL", Table::kRight}, {"RESULT"}});
  for (const Json* r : BudgetResults(report, variant)) {
    bool ok = Bool(*r, "ok", true);
    std::string actual = Str(*r, "actual");
    t.Row({Str(*r, "device"), Str(*r, "rule"), Str(*r, "limit"), actual,
           !ok                             ? "FAIL"
           : actual.starts_with("skipped") ? "skipped"
           : Bool(*r, "advisory", false)   ? "over (advisory)"
                                           : "ok"},
          ok ? "" : "fail");
  }
  return t;
}

std::string CacheLine(const Json& report) {
  const Json* cache = Field(report, "cache");
  if (!cache) return {};
  uint64_t hits = U64(*cache, "hits"), misses = U64(*cache, "misses"), corrupt = U64(*cache, "corrupt");
  std::string line = "cache: " + std::to_string(hits) + (hits == 1 ? " hit, " : " hits, ") +
                     std::to_string(misses) + (misses == 1 ? " miss" : " misses");
  if (corrupt) line += " (" + std::to_string(corrupt) + " corrupt, rebuilt)";
  return line;
}

std::vector<std::string> Facts(const Json& variant) {
  std::vector<std::string> facts;
  if (std::string devices = JoinStrings(variant, "devices"); !devices.empty())
    facts.push_back("devices: " + devices);
  std::string features = JoinStrings(variant, "features");
  facts.push_back("features: " + (features.empty() ? std::string("mvp") : features) +
                  (Has(variant, "pipeline") ? "; pipeline: " + Str(variant, "pipeline") : ""));
  if (const Json* m = Field(variant, "module")) {
    uint64_t bytes = U64(*m, "bytes");
    facts.push_back("module: " + Str(*m, "file") + ", " + Grouped(bytes) + " bytes (" + HumanBytes(bytes) +
                    ")" + (Has(*m, "linked") && !Bool(*m, "linked") ? ", up to date" : ""));
  }
  if (const Json* b = Field(variant, "bundle")) {
    uint64_t bytes = U64(*b, "bytes");
    std::string line =
        "bundle: " + Str(*b, "file") + ", " + Grouped(bytes) + " bytes (" + HumanBytes(bytes) + ")";
    if (Has(*b, "payload_bytes")) line += ", payload " + Grouped(U64(*b, "payload_bytes"));
    if (Has(*b, "level")) line += ", zstd -" + std::to_string(U64(*b, "level"));
    line += Bool(*b, "signed") ? ", signed" : ", unsigned";
    facts.push_back(line);
  }
  if (const Json* d = Field(variant, "delta")) {
    uint64_t bytes = U64(*d, "bytes");
    facts.push_back("delta: " + Str(*d, "file") + ", " + Grouped(bytes) + " bytes (" + HumanBytes(bytes) +
                    ")");
  }
  for (std::string& line : PerfFacts(variant)) facts.push_back(std::move(line));
  return facts;
}

std::string BudgetVerdict(const Json& report) {
  const Json* budgets = Field(report, "budgets");
  if (!budgets || !Bool(*budgets, "checked")) return "budgets not checked";
  size_t total = BudgetResults(report).size(), failed = FailedBudgets(report);
  std::string baseline = Str(*budgets, "baseline");
  std::string against = baseline.empty() ? "" : " (baseline " + baseline + ")";
  if (total == 0) return "no budgets set";
  if (failed)
    return std::to_string(failed) + " of " + std::to_string(total) + " budget checks failed" + against;
  return "all " + std::to_string(total) + " budget checks passed" + against;
}

}  // namespace ws::size::tables
