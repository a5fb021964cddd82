// The wasm features a module may use and a device may support, by the names
// of devices.yaml ("simd", "threads", ...). Shared by the device matrix,
// variant names, clang flags, the optimizer's feature validation and
// `run`'s check of a bundle. Every per-feature fact comes from the table in
// wasm_features.def (read its top to add a feature).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ws::wasm {

enum class WasmFeature {
#define WS_WASM_FEATURE(name, ...) name,
#include "wasm-binary/wasm_features.def"
};

inline constexpr size_t kWasmFeatureCount = 0
#define WS_WASM_FEATURE(...) +1
#include "wasm-binary/wasm_features.def"
    ;

struct WasmFeatures {
#define WS_WASM_FEATURE(name, short_name, clang_flag, on_by_default, binaryen_mask, description) \
  bool name = on_by_default;
#include "wasm-binary/wasm_features.def"

  bool operator==(const WasmFeatures&) const = default;
  // The field called `name`, or null for a name that is not a feature.
  bool* Field(std::string_view name);
  bool Has(WasmFeature feature) const;
  // Names of the enabled features, in WasmFeatureNames() order.
  std::vector<std::string> Names() const;
};

// One row of wasm_features.def.
struct WasmFeatureInfo {
  WasmFeature id;
  std::string_view name;
  std::string_view short_name;
  std::string_view clang_flag;
  bool on_by_default;
  std::string_view description;
  bool WasmFeatures::*field;
};

// `feature` needs `implied` (WS_WASM_FEATURE_IMPLIES).
struct WasmFeatureImplication {
  WasmFeature feature;
  WasmFeature implied;
  std::string_view because;
  std::string_view implied_text;
};

// devices.yaml may not set `feature` false (WS_WASM_FEATURE_REQUIRED).
struct WasmFeatureRequirement {
  WasmFeature feature;
  std::string_view because;
  std::string_view hint;
};

// In table order, which is the order of every feature list.
inline constexpr std::array<WasmFeatureInfo, kWasmFeatureCount> kWasmFeatureTable = {{
#define WS_WASM_FEATURE(name, short_name, clang_flag, on_by_default, binaryen_mask, description) \
  {WasmFeature::name, #name, short_name, clang_flag, on_by_default, description, &WasmFeatures::name},
#include "wasm-binary/wasm_features.def"
}};

inline constexpr size_t kWasmFeatureImplicationCount = 0
#define WS_WASM_FEATURE_IMPLIES(...) +1
#include "wasm-binary/wasm_features.def"
    ;
inline constexpr std::array<WasmFeatureImplication, kWasmFeatureImplicationCount>
    kWasmFeatureImplications = {{
#define WS_WASM_FEATURE_IMPLIES(feature, implied, because, implied_text) \
  {WasmFeature::feature, WasmFeature::implied, because, implied_text},
#include "wasm-binary/wasm_features.def"
}};

inline constexpr size_t kWasmFeatureRequirementCount = 0
#define WS_WASM_FEATURE_REQUIRED(...) +1
#include "wasm-binary/wasm_features.def"
    ;
inline constexpr std::array<WasmFeatureRequirement, kWasmFeatureRequirementCount>
    kWasmFeatureRequirements = {{
#define WS_WASM_FEATURE_REQUIRED(feature, because, hint) {WasmFeature::feature, because, hint},
#include "wasm-binary/wasm_features.def"
}};

// The enumerators are the table's indices, so Info() is a lookup.
constexpr const WasmFeatureInfo& Info(WasmFeature feature) {
  return kWasmFeatureTable[static_cast<size_t>(feature)];
}
static_assert([] {
  for (size_t i = 0; i < kWasmFeatureCount; ++i) {
    if (static_cast<size_t>(kWasmFeatureTable[i].id) != i) return false;
  }
  return true;
}());

// Every feature name, in table order.
const std::vector<std::string>& WasmFeatureNames();

// Turns on every feature that an enabled feature implies.
void AddImpliedFeatures(WasmFeatures& features);

}  // namespace ws::wasm
