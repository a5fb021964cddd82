#include "compiler-driver/build_report.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ws {
namespace {

const char* CacheName(CacheStatus status) {
  switch (status) {
    case CacheStatus::kHit: return "hit";
    case CacheStatus::kMiss: return "miss";
    case CacheStatus::kCorrupt: return "corrupt";
  }
  return "miss";
}

// Timings to 0.1 ms: finer digits are noise and make reports hard to diff.
double Round(double ms) { return std::round(ms * 10) / 10; }


// The bundle step's results, reshaped for the report: the delta's file
// relative to the output directory, the module's hash beside its size.
void AddPackage(nlohmann::ordered_json& entry, const VariantReport& v) {
  nlohmann::ordered_json package = nlohmann::ordered_json::parse(v.package_json, nullptr, false);
  if (!package.is_object()) return;
  if (package.contains("module_sha256")) entry["module"]["sha256"] = package["module_sha256"];
  if (package.contains("bundle")) {
    nlohmann::ordered_json bundle = {{"file", v.bundle_file}};
    for (auto& [key, value] : package["bundle"].items()) bundle[key] = value;
    entry["bundle"] = bundle;
  }
  if (package.contains("delta")) {
    const auto& d = package["delta"];
    entry["delta"] = {{"file", "bundles/" + d["name"].get<std::string>()},
                      {"bytes", d["bytes"]},
                      {"sha256", d["sha256"]},
                      {"base_sha256", d["base_sha256"]}};
  }
  if (package.contains("size")) entry["size"] = package["size"];
}

}  // namespace

size_t BuildReport::CountCache(CacheStatus status) const {
  size_t n = 0;
  for (const UnitReport& unit : units) n += unit.cache == status;
  return n;
}

nlohmann::ordered_json BuildReportJson(const BuildReport& r) {
  nlohmann::ordered_json units = nlohmann::ordered_json::array();
  for (const UnitReport& unit : r.units) {
    units.push_back({{"source", unit.source}, {"variant", unit.variant}, {"status", CacheName(unit.cache)},
                     {"ms", Round(unit.ms)}});
  }
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  for (const VariantReport& v : r.variants) {
    nlohmann::ordered_json optimizer = nlohmann::ordered_json::parse(v.optimizer_json, nullptr, false);
    if (optimizer.is_discarded()) optimizer = nlohmann::ordered_json::object();
    nlohmann::ordered_json entry = {
        {"name", v.name},
        {"devices", v.devices},
        {"features", v.features},
        {"module", {{"file", v.module}, {"bytes", v.module_bytes}, {"linked", v.linked}}},
        {"timings_ms", {{"link", Round(v.link_ms)}, {"optimize", Round(v.optimize_ms)}, {"bundle", Round(v.package_ms)}}},
    };
    for (auto& [key, value] : optimizer.items()) {
      if (key != "sections" && key != "functions") entry[key] = value;  // the bundle step's size analysis has them
    }
    AddPackage(entry, v);
    variants.push_back(std::move(entry));
  }
  nlohmann::ordered_json json = {
      {"format", "wasmship-report"},
      {"format_version", 2},
      {"app", {{"name", r.app}, {"version", r.version}}},
      {"profile", r.profile},
      {"module", {{"file", r.module}, {"bytes", r.module_bytes}, {"linked", r.linked}}},
      {"timings_ms",
       {{"compile", Round(r.compile_ms)}, {"link", Round(r.link_ms)}, {"optimize", Round(r.optimize_ms)},
        {"bundle", Round(r.package_ms)}, {"total", Round(r.total_ms)}}},
      {"cache",
       {{"hits", r.CountCache(CacheStatus::kHit)},
        {"misses", r.CountCache(CacheStatus::kMiss) + r.CountCache(CacheStatus::kCorrupt)},
        {"corrupt", r.CountCache(CacheStatus::kCorrupt)},
        {"units", units}}},
      {"variants", variants},
  };
  return json;
}

}  // namespace ws
