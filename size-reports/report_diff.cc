// DiffReports: `wasmship report diff BASE HEAD`. Sizes per variant (matched
// by name) and build timings, with a verdict CI can gate on: a bundle or
// module regresses when it grew by at least the size threshold (0.5% by
// default: builds are deterministic, but a +21-byte edit is no news);
// timings are noisy, so they count only when asked, and then a stage
// regresses only when it grew by more than 25% and more than 200 ms.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

using namespace view;

constexpr double kTimeGrowthPercent = 25;
constexpr double kTimeGrowthMs = 200;

struct SizeRow {
  std::string item;  // "bundle", "wasm", "component runtime"
  uint64_t base = 0, head = 0;
  bool in_base = true, in_head = true;
  bool regression = false;
  int64_t delta() const { return static_cast<int64_t>(head) - static_cast<int64_t>(base); }
  double percent() const { return Share(static_cast<double>(delta()), static_cast<double>(base)); }
  std::string Status() const { return !in_base ? "new" : !in_head ? "removed" : SignedPercent(percent()); }
};

struct VariantDiff {
  std::string name;
  std::string status;  // "changed", "added", "removed"
  std::vector<SizeRow> rows;
  bool grew() const {
    for (const SizeRow& r : rows) {
      if (r.regression) return true;
    }
    return false;
  }
};

struct TimeRow {
  std::string stage;
  double base = 0, head = 0;
  bool regression = false;
  double percent() const { return Share(head - base, base); }
};

struct Model {
  std::vector<VariantDiff> variants;
  std::vector<TimeRow> timings;
  std::string verdict;
  std::string rules;  // what counts as a regression
  bool regressed = false;
};

std::string Rules(const DiffOptions& options) {
  std::string threshold = Fixed(std::max(0.0, options.size_threshold_percent), 2);
  while (threshold.back() == '0') threshold.pop_back();
  if (threshold.back() == '.') threshold.pop_back();
  std::string sizes = threshold == "0"
                          ? "any growth of a bundle or module is a regression"
                          : "bundle or module growth under " + threshold + "% is not a regression (--threshold)";
  return sizes + (options.timings ? "; build timings count (> 25% and > 200 ms)"
                                  : "; build timings are not checked (--timings)");
}

// `gate`: the growth (in % of the base) from which the row is a
// regression; negative for rows that never are.
void AddBytes(VariantDiff& d, const std::string& item, const Json* base, const Json* head, double gate) {
  if (!base && !head) return;
  SizeRow row{item, base ? U64(*base, "bytes") : 0, head ? U64(*head, "bytes") : 0, base != nullptr,
              head != nullptr};
  row.regression = gate >= 0 && base && head && row.delta() > 0 && (row.base == 0 || row.percent() >= gate);
  d.rows.push_back(row);
}

// The component tree's files, systems ("app/src/main.cpp", "runtime/layout")
// and composables ("app/src/main.cpp/Root") by path.
void TreeNodes(const Json* size, bool second, std::map<std::string, std::pair<const Json*, const Json*>>& out) {
  if (!size) return;
  for (const Json& component : Array(*size, "component_tree")) {
    for (const Json& part : Array(component, "children")) {
      std::string path = Str(component, "name") + "/" + Str(part, "name");
      (second ? out[path].second : out[path].first) = &part;
      for (const Json& composable : Array(part, "children")) {
        std::string inner = path + "/" + Str(composable, "name");
        (second ? out[inner].second : out[inner].first) = &composable;
      }
    }
  }
}

// The performance figures (variant.perf.runs.<engine>) beside the sizes:
// instruction counts as they are, milliseconds in microseconds (the table
// shows whole numbers). No verdict: budgets gate performance.
void AddPerf(VariantDiff& d, const Json& base, const Json& head) {
  const Json* bp = Field(base, "perf");
  const Json* hp = Field(head, "perf");
  const Json* br = bp ? Field(*bp, "runs") : nullptr;
  const Json* hr = hp ? Field(*hp, "runs") : nullptr;
  std::set<std::string> engines;
  for (const Json* runs : {br, hr}) {
    if (runs && runs->is_object()) {
      for (const auto& [engine, unused] : runs->items()) engines.insert(engine);
    }
  }
  for (const std::string& engine : engines) {
    const Json* b = br ? Field(*br, engine) : nullptr;
    const Json* h = hr ? Field(*hr, engine) : nullptr;
    for (const char* figure : {"startup_instructions", "frame_instructions_p99", "input_instructions_p99"}) {
      if ((b && Has(*b, figure)) || (h && Has(*h, figure))) {
        d.rows.push_back({engine + " " + figure, b ? U64(*b, figure) : 0, h ? U64(*h, figure) : 0, b != nullptr,
                          h != nullptr, false});
      }
    }
    for (const char* figure : {"startup_ms", "frame_ms_p99", "input_ms_p99"}) {
      auto us = [&](const Json* run) { return static_cast<uint64_t>(std::llround(Num(*run, figure) * 1000)); };
      std::string item = engine + " " + std::string(figure).replace(std::string(figure).find("ms"), 2, "us");
      d.rows.push_back({item, b ? us(b) : 0, h ? us(h) : 0, b != nullptr, h != nullptr, false});
    }
  }
}

VariantDiff Compare(const Json& base, const Json& head, double threshold) {
  VariantDiff d{Str(head, "name"), "changed", {}};
  AddBytes(d, "bundle", Field(base, "bundle"), Field(head, "bundle"), threshold);
  AddBytes(d, "wasm", Field(base, "module"), Field(head, "module"), threshold);
  AddPerf(d, base, head);
  std::map<std::string, std::pair<const Json*, const Json*>> components;
  const Json* bs = Field(base, "size");
  const Json* hs = Field(head, "size");
  if (bs) {
    for (const Json& c : Array(*bs, "components")) components[Str(c, "name")].first = &c;
  }
  if (hs) {
    for (const Json& c : Array(*hs, "components")) components[Str(c, "name")].second = &c;
  }
  std::vector<SizeRow> rows;
  for (const auto& [name, pair] : components) {
    VariantDiff tmp;
    AddBytes(tmp, "component " + name, pair.first, pair.second, -1);
    rows.insert(rows.end(), tmp.rows.begin(), tmp.rows.end());
  }
  // Below the components, only what changed: a tree has dozens of nodes.
  // Both reports need a tree, or every node of the newer one would be "new".
  std::map<std::string, std::pair<const Json*, const Json*>> nodes;
  if (bs && hs && Has(*bs, "component_tree") && Has(*hs, "component_tree")) {
    TreeNodes(bs, false, nodes);
    TreeNodes(hs, true, nodes);
  }
  for (const auto& [path, pair] : nodes) {
    VariantDiff tmp;
    AddBytes(tmp, "component " + path, pair.first, pair.second, -1);
    for (const SizeRow& r : tmp.rows) {
      if (r.delta() != 0 || !r.in_base || !r.in_head) rows.push_back(r);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const SizeRow& a, const SizeRow& b) {
    if (std::llabs(a.delta()) != std::llabs(b.delta())) return std::llabs(a.delta()) > std::llabs(b.delta());
    return a.head != b.head ? a.head > b.head : a.item < b.item;
  });
  d.rows.insert(d.rows.end(), rows.begin(), rows.end());
  return d;
}

Model Build(const Json& base, const Json& head, const DiffOptions& options) {
  Model m;
  std::set<std::string> head_names;
  for (const Json* h : Variants(head)) {
    head_names.insert(Str(*h, "name"));
    if (const Json* b = FindVariant(base, Str(*h, "name"))) {
      m.variants.push_back(Compare(*b, *h, std::max(0.0, options.size_threshold_percent)));
    } else {
      m.variants.push_back({Str(*h, "name"), "added", {}});
    }
  }
  for (const Json* b : Variants(base)) {
    if (!head_names.count(Str(*b, "name"))) m.variants.push_back({Str(*b, "name"), "removed", {}});
  }
  const Json* bt = Field(base, "timings_ms");
  const Json* ht = Field(head, "timings_ms");
  for (const char* stage : {"total", "compile", "link", "optimize", "bundle"}) {
    if (!bt || !ht || !Has(*bt, stage) || !Has(*ht, stage)) continue;
    TimeRow t{stage, Num(*bt, stage), Num(*ht, stage)};
    t.regression = options.timings && t.head - t.base > kTimeGrowthMs && t.percent() > kTimeGrowthPercent;
    m.timings.push_back(t);
  }

  // The verdict.
  size_t matched = 0, grew = 0;
  const SizeRow* largest = nullptr;
  const VariantDiff* largest_variant = nullptr;
  for (const VariantDiff& v : m.variants) {
    if (v.status != "changed") continue;
    ++matched;
    grew += v.grew();
    // A variant's growth is its bundle's (what devices download), else its module's.
    const SizeRow* row = nullptr;
    for (const SizeRow& r : v.rows) {
      if (r.regression && (!row || r.item == "bundle")) row = &r;
    }
    if (row && (!largest || row->delta() > largest->delta())) largest = row, largest_variant = &v;
  }
  std::vector<std::string> reasons;
  if (grew) {
    reasons.push_back(std::to_string(grew) + " of " + std::to_string(matched) +
                      (matched == 1 ? " variant grew" : " variants grew") +
                      " (largest: " + largest_variant->name + " " + largest->item + " " +
                      SignedHuman(largest->delta()) + ", " + SignedPercent(largest->percent()) + ")");
  }
  std::string slower;
  for (const TimeRow& t : m.timings) {
    if (!t.regression) continue;
    slower += (slower.empty() ? "" : ", ") + t.stage + " " + SignedMillis(t.head - t.base) + " (" +
              SignedPercent(t.percent()) + ")";
  }
  if (!slower.empty()) reasons.push_back("build time grew: " + slower);
  m.regressed = !reasons.empty();
  m.rules = Rules(options);
  m.verdict = "verdict: no regressions";
  if (m.regressed) {
    m.verdict = "verdict: regression \xE2\x80\x94 ";
    for (size_t i = 0; i < reasons.size(); ++i) m.verdict += (i ? "; " : "") + reasons[i];
  }
  return m;
}

Table SizeTable(const VariantDiff& v) {
  Table t({{"ITEM"},
           {"BASE", Table::kRight},
           {"HEAD", Table::kRight},
           {"DELTA", Table::kRight},
           {"%", Table::kRight},
           {""}});
  for (const SizeRow& r : v.rows) {
    t.Row({r.item, r.in_base ? Grouped(r.base) : "-", r.in_head ? Grouped(r.head) : "-",
           SignedGrouped(r.delta()), r.Status(), r.regression ? "REGRESSION" : ""},
          r.regression ? "fail" : "");
  }
  return t;
}

Table TimeTable(const Model& m) {
  Table t({{"STAGE"},
           {"BASE", Table::kRight},
           {"HEAD", Table::kRight},
           {"DELTA", Table::kRight},
           {"%", Table::kRight},
           {""}});
  for (const TimeRow& r : m.timings) {
    t.Row({r.stage, Millis(r.base), Millis(r.head), SignedMillis(r.head - r.base), SignedPercent(r.percent()),
           r.regression ? "REGRESSION" : ""},
          r.regression ? "fail" : "");
  }
  return t;
}

std::string Names(const Model& m, const std::string& status) {
  std::string out;
  for (const VariantDiff& v : m.variants) {
    if (v.status == status) out += (out.empty() ? "" : ", ") + v.name;
  }
  return out;
}

Json ToJson(const Model& m) {
  Json variants = Json::array();
  for (const VariantDiff& v : m.variants) {
    Json rows = Json::array();
    for (const SizeRow& r : v.rows) {
      rows.push_back({{"item", r.item},
                      {"base", r.in_base ? Json(r.base) : Json(nullptr)},
                      {"head", r.in_head ? Json(r.head) : Json(nullptr)},
                      {"delta", r.delta()},
                      {"regression", r.regression}});
    }
    variants.push_back({{"name", v.name}, {"status", v.status}, {"grew", v.grew()}, {"rows", rows}});
  }
  Json timings = Json::array();
  for (const TimeRow& t : m.timings) {
    timings.push_back(
        {{"stage", t.stage}, {"base_ms", t.base}, {"head_ms", t.head}, {"regression", t.regression}});
  }
  return Json{{"regressed", m.regressed}, {"verdict", m.verdict}, {"rules", m.rules},
              {"variants", variants}, {"timings_ms", timings}};
}

std::string MarkdownDiff(const Model& m) {
  std::string added = Names(m, "added"), removed = Names(m, "removed");
  std::string out = "## wasmship report diff\n\n";
  out += (m.regressed ? "**:x: " : ":white_check_mark: **") + EscapeMarkdownCell(m.verdict) + "**\n\n";
  out += "<sub>" + EscapeHtml(m.rules) + "</sub>\n\n";
  Table summary({{"VARIANT"},
                 {"BUNDLE", Table::kRight},
                 {"DELTA", Table::kRight},
                 {"WASM", Table::kRight},
                 {"DELTA", Table::kRight}});
  for (const VariantDiff& v : m.variants) {
    std::vector<std::string> cells = {v.name, "-", v.status == "changed" ? "" : v.status, "-", ""};
    for (const SizeRow& r : v.rows) {
      size_t at = r.item == "bundle" ? 1 : r.item == "wasm" ? 3 : 0;
      if (!at) continue;
      cells[at] = HumanBytes(r.head);
      cells[at + 1] = SignedHuman(r.delta()) + " (" + r.Status() + ")" + (r.regression ? " :warning:" : "");
    }
    summary.Row(cells);
  }
  out += summary.Markdown() + "\n";
  for (const VariantDiff& v : m.variants) {
    if (v.status != "changed") continue;
    out += "<details><summary>" + EscapeHtml(v.name) + "</summary>\n\n" + SizeTable(v).Markdown() +
           "\n</details>\n\n";
  }
  if (!m.timings.empty()) out += "**Build timings**\n\n" + TimeTable(m).Markdown() + "\n";
  if (!added.empty()) out += "Added variants: " + EscapeMarkdownCell(added) + "  \n";
  if (!removed.empty()) out += "Removed variants: " + EscapeMarkdownCell(removed) + "  \n";
  return out;
}

std::string TextDiff(const Model& m) {
  std::string added = Names(m, "added"), removed = Names(m, "removed");
  std::string out = "wasmship report diff\n";
  for (const VariantDiff& v : m.variants) {
    if (v.status != "changed") continue;
    out += "\n" + v.name + (v.grew() ? " (grew)" : "") + "\n" + SizeTable(v).Text();
  }
  if (!added.empty()) out += "\nadded variants: " + added + "\n";
  if (!removed.empty()) out += "\nremoved variants: " + removed + "\n";
  if (!m.timings.empty()) out += "\nBuild timings\n" + TimeTable(m).Text();
  out += "\n(" + m.rules + ")\n" + m.verdict + "\n";
  return out;
}

}  // namespace

ReportDiff DiffReports(const Json& base, const Json& head, Format format, const DiffOptions& options) {
  Model m = Build(base, head, options);
  // No default: a format added to Format must say here how a diff renders.
  switch (format) {
    case Format::kJson: return {ToJson(m).dump(2, ' ', false, Json::error_handler_t::replace) + "\n", m.regressed};
    case Format::kMarkdown:
    case Format::kHtml: return {MarkdownDiff(m), m.regressed};  // HTML renders the Markdown (GitHub comments)
    case Format::kText: return {TextDiff(m), m.regressed};
  }
  return {TextDiff(m), m.regressed};
}

}  // namespace ws::size
