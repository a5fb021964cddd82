#include "compiler-driver/perf_measure.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "feature-matrix/device_matrix.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// The default's performance limits with the device's own over them.
Budget Merged(const Manifest& manifest, const std::string& device) {
  Budget merged;
  for (const char* target : {"default", device.c_str()}) {
    auto found = manifest.budgets.find(target);
    if (found == manifest.budgets.end()) continue;
    merged.Override(found->second);
  }
  return merged;
}

std::map<std::string, std::string> DeviceEngines(const Manifest& manifest) {
  std::map<std::string, std::string> engines;
  if (manifest.devices_file.empty()) return engines;
  // The build chose its variants from this file, so it loads; its
  // diagnostics were reported then.
  DiagnosticSink reported;
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(manifest.root + "/" + manifest.devices_file, reported);
  if (!matrix) return engines;
  for (const Device& device : matrix->devices) engines[device.name] = device.engine;
  return engines;
}

nlohmann::ordered_json* FindVariant(nlohmann::ordered_json& document, const std::string& name) {
  if (!document.contains("variants") || !document["variants"].is_array()) return nullptr;
  for (nlohmann::ordered_json& v : document["variants"]) {
    if (v.is_object() && v.value("name", "") == name) return &v;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> PerfEnginesFor(const Manifest& manifest, const std::vector<std::string>& devices,
                                        const std::map<std::string, std::string>& device_engines) {
  std::vector<std::string> engines;
  auto need = [&](const std::string& engine) {
    if (std::find(engines.begin(), engines.end(), engine) == engines.end()) engines.push_back(engine);
  };
  for (const std::string& device : devices) {
    Budget budget = Merged(manifest, device);
    if (budget.HasInstructionBudgets()) need("interp");
    if (budget.HasTimeBudgets()) {
      auto engine = device_engines.find(device);
      need(engine == device_engines.end() ? "interp" : engine->second);
    }
  }
  std::sort(engines.begin(), engines.end(), [](const std::string& a, const std::string& b) {
    return (a == "interp") > (b == "interp") || ((a == "interp") == (b == "interp") && a < b);
  });
  return engines;
}

std::optional<BuildStatus> MeasurePerformance(const Manifest& manifest, const BuildOptions& options,
                                              const std::string& cache_dir, const std::vector<PerfTarget>& targets,
                                              nlohmann::ordered_json& document, BuildObserver& observer,
                                              DiagnosticSink& sink) {
  if (!options.perf_runner || manifest.perf_script.empty()) return std::nullopt;
  std::map<std::string, std::string> device_engines = DeviceEngines(manifest);
  std::string root = fs::absolute(manifest.root).string();
  for (const PerfTarget& target : targets) {
    std::vector<std::string> engines = PerfEnginesFor(manifest, target.devices, device_engines);
    if (engines.empty()) continue;
    nlohmann::ordered_json perf = {{"script", manifest.perf_script},
                                   {"engines", nlohmann::ordered_json::object()},
                                   {"runs", nlohmann::ordered_json::object()}};
    for (const std::string& device : target.devices) {
      auto engine = device_engines.find(device);
      perf["engines"][device] = engine == device_engines.end() ? "interp" : engine->second;
    }
    for (const std::string& engine : engines) {
      if (InterruptRequested()) return BuildStatus::kInterrupted;
      observer.Message("measuring " + target.variant + " on " + engine + " with " + manifest.perf_script);
      PerfRequest request{target.module_path,
                          (fs::path(manifest.root) / manifest.perf_script).lexically_normal().string(),
                          manifest.assets_dir.empty() ? "" : root + "/" + manifest.assets_dir,
                          cache_dir,
                          engine,
                          target.max_memory,
                          target.variant};
      PerfOutcome outcome = options.perf_runner(request, sink);
      switch (outcome.kind) {
        case PerfOutcome::Kind::kOk: perf["runs"][engine] = std::move(outcome.figures); break;
        case PerfOutcome::Kind::kCannotRun:
          observer.Message("warning: " + target.variant + ": the " + engine + " engine cannot run it (" +
                           outcome.why + "); its time budgets are skipped");
          break;
        case PerfOutcome::Kind::kBadScript: return BuildStatus::kConfigError;
        case PerfOutcome::Kind::kTrapped: return BuildStatus::kPerfScriptTrapped;
        case PerfOutcome::Kind::kFailed: return BuildStatus::kBuildError;
      }
    }
    if (nlohmann::ordered_json* variant = FindVariant(document, target.variant)) (*variant)["perf"] = std::move(perf);
  }
  return std::nullopt;
}

}  // namespace ws
