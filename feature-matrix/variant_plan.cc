#include "feature-matrix/variant_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_set>

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

// Features and memory as text: equal tuples, equal keys.
std::string TupleKey(const FeatureSet& features, uint64_t memory) {
  std::string key = std::to_string(memory);
  for (const std::string& name : features.Names()) key += "," + name;
  return key;
}

}  // namespace

std::string VariantName(const FeatureSet& f, uint64_t max_memory, const std::string& profile,
                        const std::string& pipeline_mark) {
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
  if (!pipeline_mark.empty()) name += "-" + pipeline_mark;
  return name + "-" + profile;
}

PipelineChoice ChoosePipeline(const Device& device, const PipelinePolicy& policy) {
  const std::string& d = device.name;
  if (policy.optimize == "none") return {"debug", false, false, "debug pipeline: checks only"};
  if (device.engine == "aot" && policy.aot_speed) {
    return {"speed", false, true, "speed pipeline: an aot device, and the profile sets aot_speed"};
  }
  if (policy.optimize == "speed") return {"speed", false, false, "speed pipeline: the profile sets optimize: speed"};
  if (policy.optimize == "size") return {"size", false, false, "size pipeline: the profile sets optimize: size"};
  if (device.engine == "interp") {
    return {"speed", true, false,
            "speed pipeline: optimize: auto, and " + d + "'s engine is interp, which executes every wasm "
            "instruction, so fewer executed instructions make faster frames; the size pipeline instead when "
            "the speed module would exceed " + d + "'s wasm or bundle budget (report.json says which ran)"};
  }
  return {"size", false, false,
          "size pipeline: optimize: auto, and " + d + "'s engine is aot, which compiles the module to native "
          "code itself, so the smaller download wins"};
}

std::vector<Variant> PlanVariants(const DeviceMatrix& matrix, const std::vector<std::string>& devices,
                                  const std::string& profile, const PipelinePolicy& policy) {
  // Sets and maps instead of searches in vectors: planning is linear in
  // the number of devices (a matrix may list 10,000 of them).
  const std::unordered_set<std::string_view> wanted(devices.begin(), devices.end());
  std::vector<PipelineChoice> choices;
  choices.reserve(matrix.devices.size());
  // Under auto, an interp device and an aot device with equal features and
  // memory get different pipelines: the size one is marked.
  std::set<std::string> auto_speed_tuples;
  for (const Device& device : matrix.devices) {
    choices.push_back(ChoosePipeline(device, policy));
    if (choices.back().auto_speed) auto_speed_tuples.insert(TupleKey(device.features, PageAligned(device.memory)));
  }
  std::vector<Variant> variants;
  std::map<std::string, size_t> index;  // tuple and pipeline → variant
  for (size_t d = 0; d < matrix.devices.size(); ++d) {
    const Device& device = matrix.devices[d];
    if (!wanted.contains(device.name)) continue;
    uint64_t memory = PageAligned(device.memory);
    const PipelineChoice& choice = choices[d];
    std::string tuple = TupleKey(device.features, memory);
    auto [it, fresh] = index.emplace(tuple + choice.pipeline + (choice.auto_speed ? "+auto" : ""), variants.size());
    if (fresh) {
      std::string mark = choice.by_aot_speed ? "speed"
                         : policy.optimize == "auto" && choice.pipeline == "size" && auto_speed_tuples.contains(tuple)
                             ? "size"
                             : "";
      variants.push_back({VariantName(device.features, memory, profile, mark), device.features, memory, profile,
                          choice.pipeline, choice.auto_speed, {}});
    }
    variants[it->second].devices.push_back(device.name);
  }
  return variants;
}

std::vector<std::string> Explain(const Device& device, const Variant& variant, const PipelinePolicy& policy) {
  std::vector<std::string> lines;
  std::vector<std::string> features = variant.features.Names();
  std::string list;
  for (const std::string& f : features) list += (list.empty() ? "" : ", ") + f;
  lines.push_back("features: " + (list.empty() ? std::string("the wasm MVP only") : list) +
                  " (what " + device.name + "'s engine supports)");
  lines.push_back("max memory: " + std::to_string(variant.max_memory >> 20) + " MiB (" + device.name +
                  "'s memory, in whole 64 KiB pages)");
  // The device's own reason: the devices of a variant have equal choices.
  PipelineChoice choice = ChoosePipeline(device, policy);
  lines.push_back("profile: " + variant.profile + " (" + choice.why + ")");
  std::string others;
  for (const std::string& d : variant.devices) {
    if (d != device.name) others += (others.empty() ? "" : ", ") + d;
  }
  lines.push_back(others.empty() ? "no other device shares this variant" : "shared with: " + others);
  return lines;
}

}  // namespace ws
