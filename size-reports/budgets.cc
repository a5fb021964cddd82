// CheckBudgets / BudgetsToJson: wasmship.yaml's budgets against a build's
// report.json (and, for growth rules, a baseline report).
#include "size-reports/format.h"
#include "size-reports/report_view.h"
#include "size-reports/size_reports.h"

namespace ws::size {
namespace {

using view::Field;
using view::Str;
using view::U64;

// A device's rules: the default's, overridden rule by rule (and component
// by component) by the device's own.
BudgetRules RulesFor(const std::map<std::string, BudgetRules>& budgets, const std::string& device,
                     bool& any) {
  BudgetRules rules;
  auto defaults = budgets.find("default");
  auto own = budgets.find(device);
  any = defaults != budgets.end() || own != budgets.end();
  if (defaults != budgets.end()) rules = defaults->second;
  if (own != budgets.end()) {
    const BudgetRules& r = own->second;
    if (r.bundle) rules.bundle = r.bundle;
    if (r.wasm) rules.wasm = r.wasm;
    if (r.growth) rules.growth = r.growth;
    if (r.frame_trap_growth) rules.frame_trap_growth = r.frame_trap_growth;
    for (const auto& [name, limit] : r.components) rules.components[name] = limit;
    rules.Override(r);
    rules.strict_time = rules.strict_time || r.strict_time;
  }
  return rules;
}

std::string LimitText(const Limit& limit) {
  if (limit.percent) {
    std::string p = Fixed(*limit.percent, 2);  // "2.50" → "2.5", "2.00" → "2"
    while (p.back() == '0') p.pop_back();
    if (p.back() == '.') p.pop_back();
    return p + "%";
  }
  return HumanLimit(limit.bytes);
}

// The baseline's variant for `variant` serving `device`: the same name,
// else the one whose devices include `device`.
const Json* BaselineVariant(const Json& baseline, const Json& variant, const std::string& device) {
  if (const Json* same = view::FindVariant(baseline, Str(variant, "name"))) return same;
  for (const Json* v : view::Variants(baseline)) {
    for (const Json& d : view::Array(*v, "devices")) {
      if (d.is_string() && d.get<std::string>() == device) return v;
    }
  }
  return nullptr;
}

// What growth compares: both bundles when both have one, else both modules.
std::pair<uint64_t, uint64_t> GrowthPair(const Json& base, const Json& head) {
  const Json* bb = Field(base, "bundle");
  const Json* hb = Field(head, "bundle");
  if (bb && hb && view::Has(*bb, "bytes") && view::Has(*hb, "bytes"))
    return {U64(*bb, "bytes"), U64(*hb, "bytes")};
  const Json* bm = Field(base, "module");
  const Json* hm = Field(head, "module");
  return {bm ? U64(*bm, "bytes") : 0, hm ? U64(*hm, "bytes") : 0};
}

}  // namespace

std::vector<BudgetResult> CheckBudgets(const std::map<std::string, BudgetRules>& budgets, const Json& report,
                                       const Json* baseline) {
  std::vector<BudgetResult> results;
  for (const Json* variant : view::Variants(report)) {
    std::string variant_name = Str(*variant, "name");
    for (const Json& d : view::Array(*variant, "devices")) {
      if (!d.is_string()) continue;
      std::string device = d.get<std::string>();
      bool any = false;
      BudgetRules rules = RulesFor(budgets, device, any);
      if (!any) continue;
      auto add = [&](std::string rule, std::string limit, std::string actual, bool ok) {
        results.push_back({device, variant_name, std::move(rule), std::move(limit), std::move(actual), ok});
      };

      if (rules.bundle) {
        const Json* bundle = Field(*variant, "bundle");
        if (bundle && view::Has(*bundle, "bytes")) {
          uint64_t bytes = U64(*bundle, "bytes");
          add("bundle", LimitText(*rules.bundle), HumanBytes(bytes), bytes <= rules.bundle->bytes);
        } else {
          add("bundle", LimitText(*rules.bundle), "skipped: no bundle", true);
        }
      }
      if (rules.wasm) {
        const Json* module = Field(*variant, "module");
        uint64_t bytes = module ? U64(*module, "bytes") : 0;
        add("wasm", LimitText(*rules.wasm), HumanBytes(bytes), bytes <= rules.wasm->bytes);
      }
      if (rules.growth) {
        const Json* base = baseline ? BaselineVariant(*baseline, *variant, device) : nullptr;
        if (!baseline) {
          add("growth", LimitText(*rules.growth), "skipped: no baseline", true);
        } else if (!base) {
          add("growth", LimitText(*rules.growth), "skipped: the baseline has no variant for this device",
              true);
        } else {
          auto [before, after] = GrowthPair(*base, *variant);
          int64_t grew = static_cast<int64_t>(after) - static_cast<int64_t>(before);
          double percent = before == 0 ? (after == 0 ? 0.0 : 100.0) : grew * 100.0 / before;
          bool ok = rules.growth->percent ? percent <= *rules.growth->percent
                                          : grew <= static_cast<int64_t>(rules.growth->bytes);
          add("growth", LimitText(*rules.growth), SignedPercent(percent) + " (" + SignedHuman(grew) + ")",
              ok);
        }
      }
      const Json* size = Field(*variant, "size");
      for (const auto& [name, limit] : rules.components) {
        if (!size) {
          add("component " + name, LimitText(limit), "skipped: no size analysis", true);
          continue;
        }
        uint64_t bytes = 0;
        for (const Json& c : view::Array(*size, "components")) {
          if (Str(c, "name") == name) bytes += U64(c, "bytes");
        }
        add("component " + name, LimitText(limit), HumanBytes(bytes), bytes <= limit.bytes);
      }
      if (rules.frame_trap_growth) {
        std::string limit = "+" + std::to_string(*rules.frame_trap_growth);
        const Json* base = baseline ? BaselineVariant(*baseline, *variant, device) : nullptr;
        if (!base) {
          add("frame traps", limit,
              baseline ? "skipped: the baseline has no variant for this device" : "skipped: no baseline",
              true);
        } else {
          uint64_t before = view::FrameTrapCount(*base), after = view::FrameTrapCount(*variant);
          int64_t grew = static_cast<int64_t>(after) - static_cast<int64_t>(before);
          add("frame traps", limit,
              (grew > 0 ? "+" : "") + std::to_string(grew) + " (" + std::to_string(before) + " -> " +
                  std::to_string(after) + ")",
              grew <= static_cast<int64_t>(*rules.frame_trap_growth));
        }
      }
      CheckPerfBudgets(rules, *variant, device, results);
    }
  }
  return results;
}

Json BudgetsToJson(const std::vector<BudgetResult>& results, bool checked, const std::string& baseline) {
  Json list = Json::array();
  for (const BudgetResult& r : results) {
    list.push_back({{"device", r.device},
                    {"variant", r.variant},
                    {"rule", r.rule},
                    {"limit", r.limit},
                    {"actual", r.actual},
                    {"ok", r.ok}});
    if (r.advisory) list.back()["advisory"] = true;
  }
  return Json{{"checked", checked},
              {"baseline", baseline.empty() ? Json(nullptr) : Json(baseline)},
              {"results", std::move(list)}};
}

}  // namespace ws::size
