#include <algorithm>

#include "compiler-driver/compiler_driver.h"
#include "diagnostics/suggest.h"
#include "platform/terminal.h"

namespace ws {
namespace {

// budgets.<key>: "default" or a device of the matrix.
bool CheckBudgetTargets(const Manifest& manifest, const DeviceMatrix* matrix, DiagnosticSink& sink) {
  std::vector<std::string> names = matrix != nullptr ? matrix->Names() : std::vector<std::string>{};
  names.insert(names.begin(), "default");
  bool ok = true;
  for (const auto& [target, budget] : manifest.budgets) {
    if (std::find(names.begin(), names.end(), target) != names.end()) continue;
    sink.Error(budget.span, "budgets." + target + " names no device" + DidYouMean(target, names),
               {"budget keys are `default` or a device of " +
                (manifest.devices_file.empty() ? std::string("devices.yaml") : manifest.devices_file)});
    ok = false;
  }
  return ok;
}

}  // namespace

std::optional<std::vector<Variant>> ChooseVariants(const Manifest& manifest, const Profile& profile,
                                                   const BuildOptions& options, DiagnosticSink& sink) {
  if (manifest.devices_file.empty()) {
    if (!options.devices.empty()) {
      sink.Error({manifest.path, 0, 0, 1}, "--device given, but wasmship.yaml names no devices file",
                 {"add `devices: devices.yaml` (see `wasmship new`)"});
      return std::nullopt;
    }
    if (!CheckBudgetTargets(manifest, nullptr, sink)) return std::nullopt;
    // No devices, no engine to lean to: auto means size.
    std::string pipeline = profile.optimize == "none" ? "debug" : profile.optimize == "speed" ? "speed" : "size";
    return std::vector<Variant>{{profile.name, FeatureSet{}, 0, profile.name, pipeline, false, {}}};
  }
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(manifest.root + "/" + manifest.devices_file, sink);
  if (!matrix) return std::nullopt;
  if (!CheckBudgetTargets(manifest, &*matrix, sink)) return std::nullopt;
  std::vector<std::string> devices = options.devices;
  for (const std::string& name : devices) {
    if (FindDevice(*matrix, name, sink) == nullptr) return std::nullopt;
  }
  // Locally one device keeps the edit-build loop short; CI builds them all.
  if (devices.empty()) devices = options.all_devices || RunningInCi() ? matrix->Names() : std::vector{matrix->devices.front().name};
  return PlanVariants(*matrix, devices, profile.name, {profile.optimize, profile.aot_speed});
}

}  // namespace ws
