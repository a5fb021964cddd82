#include "size-reports/report_view.h"

#include <algorithm>

namespace ws::size::view {

const Json* Field(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

uint64_t U64(const Json& j, std::string_view key, uint64_t fallback) {
  const Json* v = Field(j, key);
  if (!v) return fallback;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer()) return v->get<int64_t>() < 0 ? 0 : v->get<uint64_t>();
  if (v->is_number_float()) return v->get<double>() < 0 ? 0 : static_cast<uint64_t>(v->get<double>());
  return fallback;
}

double Num(const Json& j, std::string_view key, double fallback) {
  const Json* v = Field(j, key);
  return v && v->is_number() ? v->get<double>() : fallback;
}

bool Bool(const Json& j, std::string_view key, bool fallback) {
  const Json* v = Field(j, key);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

std::string Str(const Json& j, std::string_view key, std::string fallback) {
  const Json* v = Field(j, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

bool Has(const Json& j, std::string_view key) { return Field(j, key) != nullptr; }

const Json& Array(const Json& j, std::string_view key) {
  static const Json kEmpty = Json::array();
  const Json* v = Field(j, key);
  return v && v->is_array() ? *v : kEmpty;
}

std::string JoinStrings(const Json& j, std::string_view key) {
  std::string out;
  for (const Json& s : Array(j, key)) {
    if (!s.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += s.get<std::string>();
  }
  return out;
}

std::vector<const Json*> Variants(const Json& report) {
  std::vector<const Json*> out;
  for (const Json& v : Array(report, "variants")) {
    if (v.is_object()) out.push_back(&v);
  }
  return out;
}

const Json* FindVariant(const Json& report, const std::string& name) {
  for (const Json* v : Variants(report)) {
    if (Str(*v, "name") == name) return v;
  }
  return nullptr;
}

uint64_t ShippedBytes(const Json& variant) {
  if (const Json* bundle = Field(variant, "bundle"); bundle && Has(*bundle, "bytes"))
    return U64(*bundle, "bytes");
  if (const Json* module = Field(variant, "module")) return U64(*module, "bytes");
  return 0;
}

uint64_t TrapCount(const Json& trap) { return U64(trap, "unreachable") + U64(trap, "abort_calls"); }

std::vector<const Json*> SortedTraps(const Json& variant) {
  std::vector<const Json*> traps;
  for (const Json& t : Array(variant, "traps")) {
    if (t.is_object()) traps.push_back(&t);
  }
  std::sort(traps.begin(), traps.end(), [](const Json* a, const Json* b) {
    bool fa = Bool(*a, "on_frame_path"), fb = Bool(*b, "on_frame_path");
    if (fa != fb) return fa;
    if (TrapCount(*a) != TrapCount(*b)) return TrapCount(*a) > TrapCount(*b);
    std::string m = Str(*a, "function"), n = Str(*b, "function");
    return m != n ? m < n : a < b;  // a < b: list order
  });
  return traps;
}

uint64_t FrameTrapCount(const Json& variant) {
  uint64_t n = 0;
  for (const Json& t : Array(variant, "traps")) {
    if (Bool(t, "on_frame_path")) n += TrapCount(t);
  }
  return n;
}

std::vector<const Json*> BudgetResults(const Json& report, const std::string& variant) {
  std::vector<const Json*> out;
  const Json* budgets = Field(report, "budgets");
  if (!budgets) return out;
  for (const Json& r : Array(*budgets, "results")) {
    if (r.is_object() && (variant.empty() || Str(r, "variant") == variant)) out.push_back(&r);
  }
  return out;
}

size_t FailedBudgets(const Json& report) {
  size_t n = 0;
  for (const Json* r : BudgetResults(report)) n += !Bool(*r, "ok", true);
  return n;
}

std::string EmbeddableJson(const Json& j) {
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  // <, > and & only occur inside JSON strings, where \u escapes mean the same.
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ws::size::view
