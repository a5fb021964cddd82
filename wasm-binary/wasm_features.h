// The wasm features a module may use and a device may support, by the names
// of devices.yaml ("simd", "threads", ...). Shared by the device matrix,
// the optimizer's feature validation and `run`'s check of a bundle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ws::wasm {

struct WasmFeatures {
  bool simd = false;
  bool threads = false;  // atomics and shared memory
  bool bulk_memory = false;
  bool sign_ext = true;
  bool nontrapping_fptoint = false;
  bool mutable_globals = true;
  bool multivalue = false;
  bool reference_types = false;
  bool tail_call = false;

  bool operator==(const WasmFeatures&) const = default;
  // The field called `name`, or null for a name that is not a feature.
  bool* Field(std::string_view name);
  // Names of the enabled features, in WasmFeatureNames() order.
  std::vector<std::string> Names() const;
};

// Every feature name, in a fixed order.
const std::vector<std::string>& WasmFeatureNames();

}  // namespace ws::wasm
