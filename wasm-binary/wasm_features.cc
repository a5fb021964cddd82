#include "wasm-binary/wasm_features.h"

namespace ws::wasm {

bool* WasmFeatures::Field(std::string_view name) {
  for (const WasmFeatureInfo& info : kWasmFeatureTable) {
    if (info.name == name) return &(this->*info.field);
  }
  return nullptr;
}

bool WasmFeatures::Has(WasmFeature feature) const { return this->*Info(feature).field; }

std::vector<std::string> WasmFeatures::Names() const {
  std::vector<std::string> out;
  for (const WasmFeatureInfo& info : kWasmFeatureTable) {
    if (this->*info.field) out.emplace_back(info.name);
  }
  return out;
}

const std::vector<std::string>& WasmFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const WasmFeatureInfo& info : kWasmFeatureTable) out.emplace_back(info.name);
    return out;
  }();
  return names;
}

void AddImpliedFeatures(WasmFeatures& features) {
  // Repeated so that a chain (a needs b, b needs c) ends up whole.
  for (bool changed = true; changed;) {
    changed = false;
    for (const WasmFeatureImplication& rule : kWasmFeatureImplications) {
      if (features.Has(rule.feature) && !features.Has(rule.implied)) {
        features.*Info(rule.implied).field = true;
        changed = true;
      }
    }
  }
}

}  // namespace ws::wasm
