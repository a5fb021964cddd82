// What a build did and how long it took, written to dist/report.json under
// `timings_ms` and `cache` (docs/report.md has the schema).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ws {

enum class CacheStatus { kHit, kMiss, kCorrupt };

struct UnitReport {
  std::string source;
  std::string variant;
  CacheStatus cache = CacheStatus::kMiss;
  double ms = 0;  // compile time; lookup time for a hit
};

// One module: where it goes, how big, what the optimizer did to it.
struct VariantReport {
  std::string name;
  std::vector<std::string> devices;
  std::vector<std::string> features;
  std::string module;  // file name in the output directory
  uint64_t module_bytes = 0;
  bool linked = false;  // false when it was already up to date
  double link_ms = 0;
  double optimize_ms = 0;
  double package_ms = 0;
  std::string optimizer_json;  // {"pipeline", "passes", "traps"} from __optimize
  std::string package_json;    // {"module_sha256", "bundle", "delta", "size"} from __package
  std::string bundle_file;     // relative to the output directory: "bundles/<name>.wsb"
};

struct BuildReport {
  std::string app;
  std::string version;
  std::string profile;
  std::string module;  // file name in the output directory
  uint64_t module_bytes = 0;
  double compile_ms = 0;
  double link_ms = 0;      // all variants
  double optimize_ms = 0;  // all variants
  double package_ms = 0;   // all variants
  double total_ms = 0;
  bool linked = false;  // false when the module was already up to date
  std::vector<UnitReport> units;
  std::vector<VariantReport> variants;

  size_t CountCache(CacheStatus status) const;
};

// The document of docs/report.md, without `budgets` (added after the checks).
nlohmann::ordered_json BuildReportJson(const BuildReport& report);

}  // namespace ws
