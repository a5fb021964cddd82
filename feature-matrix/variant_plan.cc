#include "feature-matrix/variant_plan.h"

#include <algorithm>

namespace ws {
namespace {

constexpr uint64_t kPage = 64 * 1024;

std::string MemoryName(uint64_t bytes) {
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "m";
  return std::to_string(bytes >> 10) + "k";
}

// Threads imply bulk memory: the name says only "threads".
bool ImpliedByAnother(const FeatureSet& f, wasm::WasmFeature feature) {
  return std::ranges::any_of(wasm::kWasmFeatureImplications, [&](const wasm::WasmFeatureImplication& rule) {
    return rule.implied == feature && f.Has(rule.feature);
  });
}

// Rounded down to whole wasm pages, at least one.
uint64_t PageAligned(uint64_t bytes) { return std::max(kPage, bytes / kPage * kPage); }

}  // namespace

std::string VariantName(const FeatureSet& f, uint64_t max_memory, const std::string& profile, bool speed) {
  std::vector<std::string> parts;
  for (bool on : {true, false}) {
    for (const wasm::WasmFeatureInfo& info : wasm::kWasmFeatureTable) {
      if (f.*info.field != on || info.on_by_default == on || ImpliedByAnother(f, info.id)) continue;
      parts.push_back((on ? "" : "no") + std::string(info.short_name));
    }
  }
  std::string name;
  for (const std::string& part : parts) name += (name.empty() ? "" : "-") + part;
  if (name.empty()) name = "base";
  name += "-" + MemoryName(max_memory);
  if (speed) name += "-speed";
  return name + "-" + profile;
}

std::vector<Variant> PlanVariants(const DeviceMatrix& matrix, const std::vector<std::string>& devices,
                                  const std::string& profile, bool speed_for_aot) {
  std::vector<Variant> variants;
  for (const Device& device : matrix.devices) {
    if (std::find(devices.begin(), devices.end(), device.name) == devices.end()) continue;
    uint64_t memory = PageAligned(device.memory);
    bool speed = speed_for_aot && device.engine == "aot";
    auto same = [&](const Variant& v) { return v.features == device.features && v.max_memory == memory && v.speed == speed; };
    auto it = std::find_if(variants.begin(), variants.end(), same);
    if (it == variants.end()) {
      variants.push_back({VariantName(device.features, memory, profile, speed), device.features, memory, profile, speed, {}});
      it = variants.end() - 1;
    }
    it->devices.push_back(device.name);
  }
  return variants;
}

std::vector<std::string> Explain(const Device& device, const Variant& variant) {
  std::vector<std::string> lines;
  std::vector<std::string> features = variant.features.Names();
  std::string list;
  for (const std::string& f : features) list += (list.empty() ? "" : ", ") + f;
  lines.push_back("features: " + (list.empty() ? std::string("the wasm MVP only") : list) +
                  " (what " + device.name + "'s engine supports)");
  lines.push_back("max memory: " + std::to_string(variant.max_memory >> 20) + " MiB (" + device.name +
                  "'s memory, in whole 64 KiB pages)");
  std::string pipeline = variant.profile == "debug" ? "debug pipeline: checks only"
                         : variant.speed            ? "speed pipeline: an aot device, and the profile sets aot_speed"
                                                    : "size pipeline";
  lines.push_back("profile: " + variant.profile + " (" + pipeline + ")");
  std::string others;
  for (const std::string& d : variant.devices) {
    if (d != device.name) others += (others.empty() ? "" : ", ") + d;
  }
  lines.push_back(others.empty() ? "no other device shares this variant" : "shared with: " + others);
  return lines;
}

}  // namespace ws
