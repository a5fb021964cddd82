#include "wasm-binary/wasm_features.h"

namespace ws::wasm {

bool* WasmFeatures::Field(std::string_view name) {
  if (name == "simd") return &simd;
  if (name == "threads") return &threads;
  if (name == "bulk_memory") return &bulk_memory;
  if (name == "sign_ext") return &sign_ext;
  if (name == "nontrapping_fptoint") return &nontrapping_fptoint;
  if (name == "mutable_globals") return &mutable_globals;
  if (name == "multivalue") return &multivalue;
  if (name == "reference_types") return &reference_types;
  if (name == "tail_call") return &tail_call;
  return nullptr;
}

std::vector<std::string> WasmFeatures::Names() const {
  std::vector<std::string> out;
  WasmFeatures copy = *this;
  for (const std::string& name : WasmFeatureNames()) {
    if (*copy.Field(name)) out.push_back(name);
  }
  return out;
}

const std::vector<std::string>& WasmFeatureNames() {
  static const std::vector<std::string> names = {
      "simd",       "threads",         "bulk_memory", "sign_ext", "nontrapping_fptoint", "mutable_globals",
      "multivalue", "reference_types", "tail_call"};
  return names;
}

}  // namespace ws::wasm
