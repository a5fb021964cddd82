// The files a finished build leaves beside its bundles: dist/index.json
// (device → bundle), report.json and its renderings (report.md,
// report.html), and, when budgets were checked, report.junit.xml. Budgets
// are checked here, after bundling, against the sizes the report records.
#include "compiler-driver/release_outputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compiler-driver/content_hash.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// Rows of the Markdown and text renderings.
constexpr size_t kTopFunctions = 20;

size::Limit ToLimit(const SizeLimit& limit) { return {limit.bytes, limit.percent}; }

// `profile` (the report's) decides whether time budgets gate or warn.
std::map<std::string, size::BudgetRules> BudgetRulesOf(const Manifest& manifest, const std::string& profile) {
  auto found = manifest.profiles.find(profile);
  bool strict = found != manifest.profiles.end() && found->second.strict;
  std::map<std::string, size::BudgetRules> rules;
  for (const auto& [target, budget] : manifest.budgets) {
    size::BudgetRules& r = rules[target];
    if (budget.bundle) r.bundle = ToLimit(*budget.bundle);
    if (budget.wasm) r.wasm = ToLimit(*budget.wasm);
    if (budget.growth) r.growth = ToLimit(*budget.growth);
    for (const auto& [name, limit] : budget.components) r.components[name] = ToLimit(limit);
    r.frame_trap_growth = budget.frame_traps;
    r.Override(budget);
    r.strict_time = strict;
  }
  return rules;
}

bundle::ReleaseIndex IndexOf(const size::Json& report) {
  bundle::ReleaseIndex index;
  index.app = report["app"]["name"];
  index.version = report["app"]["version"];
  for (const size::Json& v : report["variants"]) {
    bundle::IndexVariant variant{v["features"].get<std::vector<std::string>>(),
                                 v["devices"].get<std::vector<std::string>>()};
    index.variants[v["name"]] = variant;
    if (!v.contains("bundle")) continue;
    for (const std::string& device : variant.devices) {
      bundle::IndexDevice entry{v["bundle"]["file"], v["bundle"]["sha256"], v["bundle"]["bytes"], v["name"], {}};
      if (v.contains("delta")) {
        const size::Json& d = v["delta"];
        entry.delta = bundle::IndexDelta{d["file"], d["sha256"], d["bytes"], d["base_sha256"]};
      }
      index.devices[device] = entry;
    }
  }
  return index;
}

Result<size::Json> ReadBaseline(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return Error{"cannot read the baseline report: " + text.error().message};
  size::Json baseline = size::Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!baseline.is_object() || !baseline["variants"].is_array()) {
    return Error{path + " is not a wasmship report (no `variants`)"};
  }
  return baseline;
}

// The report without its timings, which differ between any two builds.
size::Json WithoutTimings(size::Json report) {
  report.erase("timings_ms");
  if (report.contains("cache") && report["cache"].contains("units") && report["cache"]["units"].is_array()) {
    for (size::Json& unit : report["cache"]["units"]) {
      if (unit.is_object()) unit.erase("ms");
    }
  }
  if (report.contains("variants") && report["variants"].is_array()) {
    for (size::Json& variant : report["variants"]) {
      if (!variant.is_object()) continue;
      variant.erase("timings_ms");
      // Measured milliseconds differ between runs; instruction counts do not.
      if (variant.contains("perf") && variant["perf"].contains("runs") && variant["perf"]["runs"].is_object()) {
        for (auto& [engine, run] : variant["perf"]["runs"].items()) {
          if (!run.is_object()) continue;
          for (const char* ms : {"startup_ms", "frame_ms_p99", "input_ms_p99", "startup"}) run.erase(ms);
        }
      }
    }
  }
  return report;
}

}  // namespace

std::optional<size::Json> CheckReportBudgets(const Manifest& manifest, const std::string& baseline_path,
                                             size::Json& report, DiagnosticSink& sink) {
  std::optional<size::Json> baseline;
  if (!baseline_path.empty()) {
    Result<size::Json> read = ReadBaseline(baseline_path);
    if (!read) {
      sink.Error({baseline_path, 0, 0, 1}, read.error().message, {"--baseline takes the report.json of an earlier build"});
      return std::nullopt;
    }
    baseline = std::move(*read);
  }
  std::vector<size::BudgetResult> results =
      size::CheckBudgets(BudgetRulesOf(manifest, report.value("profile", "")), report, baseline ? &*baseline : nullptr);
  report["budgets"] = size::BudgetsToJson(results, /*checked=*/true, baseline_path);
  return report["budgets"];
}

std::vector<std::string> BudgetViolations(const size::Json& budgets) {
  std::vector<std::string> lines;
  for (const size::Json& r : budgets["results"]) {
    if (r["ok"].get<bool>()) continue;
    lines.push_back(r["device"].get<std::string>() + " (" + r["variant"].get<std::string>() + "): " +
                    r["rule"].get<std::string>() + " is " + r["actual"].get<std::string>() + ", over its limit of " +
                    r["limit"].get<std::string>());
  }
  return lines;
}

std::vector<std::string> BudgetWarnings(const size::Json& budgets) {
  std::vector<std::string> lines;
  for (const size::Json& r : budgets["results"]) {
    if (!r.value("advisory", false)) continue;
    lines.push_back(r["device"].get<std::string>() + " (" + r["variant"].get<std::string>() + "): " +
                    r["rule"].get<std::string>() + " is " + r["actual"].get<std::string>() + ", over its limit of " +
                    r["limit"].get<std::string>());
  }
  return lines;
}

std::vector<std::pair<std::string, std::string>> RenderReleaseOutputs(const size::Json& report) {
  bool checked = report.contains("budgets") && report["budgets"].value("checked", false);
  std::vector<std::pair<std::string, std::string>> files = {
      {"index.json", bundle::IndexJson(IndexOf(report))},
      {"report.json", report.dump(2) + "\n"},
      {"report.md", size::RenderReportMarkdown(report, kTopFunctions)},
      {"report.html", size::RenderReportHtml(report)},
  };
  if (checked) files.emplace_back("report.junit.xml", size::RenderJUnit(report));
  return files;
}

Result<std::string> StageReleaseOutputs(OutputSet& outputs, const size::Json& report, const std::string& stamp_path) {
  const std::string& out_dir = outputs.dir();
  bool checked = report.contains("budgets") && report["budgets"].value("checked", false);
  std::string fingerprint = HashBytes(out_dir + "\n" + WithoutTimings(report).dump()) + "\n";
  std::vector<std::string> names = {"index.json", "report.json", "report.md", "report.html"};
  if (checked) names.push_back("report.junit.xml");
  bool present = std::all_of(names.begin(), names.end(),
                             [&](const std::string& n) { return fs::exists(fs::path(out_dir) / n); });
  Result<std::string> stamp = ReadFile(stamp_path, kStateFile);
  if (present && stamp && *stamp == fingerprint) return std::string();
  for (const auto& [name, text] : RenderReleaseOutputs(report)) {
    if (Result<std::string> staged = outputs.Stage((fs::path(out_dir) / name).string(), text); !staged) return staged;
  }
  // Budget results of an earlier build would read as this build's.
  if (!checked) outputs.Remove((fs::path(out_dir) / "report.junit.xml").string());
  return fingerprint;
}

}  // namespace ws
