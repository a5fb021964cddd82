// Variants: the distinct tuples (features, max memory, profile, pipeline)
// among the devices being built. Devices that share a tuple share one
// build and one module; `wasmship matrix --explain D` says which and why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "feature-matrix/device_matrix.h"

namespace ws {

// How a profile picks each device's Binaryen pipeline: its `optimize`
// ("none", "size", "speed" or "auto") and `aot_speed`.
struct PipelinePolicy {
  std::string optimize = "none";
  bool aot_speed = false;
};

// The pipeline one device gets, and why (for `matrix --explain`).
struct PipelineChoice {
  std::string pipeline = "debug";  // debug, size or speed
  // Speed chosen by `optimize: auto` for an interp device: the build gives
  // way to size when the speed module would exceed the device's budget.
  bool auto_speed = false;
  // Speed chosen by `aot_speed`: the name says "speed".
  bool by_aot_speed = false;
  std::string why;
};

// auto: interp devices execute every wasm instruction, so they get the
// speed pipeline; aot devices compile the module themselves and get size.
PipelineChoice ChoosePipeline(const Device& device, const PipelinePolicy& policy);

struct Variant {
  std::string name;  // e.g. "simd-threads-512m-release"
  FeatureSet features;
  uint64_t max_memory = 0;  // bytes, a multiple of the 64 KiB wasm page
  std::string profile;
  std::string pipeline = "debug";  // what the optimizer runs: debug, size or speed
  bool auto_speed = false;         // see PipelineChoice
  std::vector<std::string> devices;  // in matrix order
};

// Groups `devices` (names from the matrix, in matrix order) into variants.
// Names are a function of the whole matrix, not of the devices built: under
// `optimize: auto` a size variant is marked "size" only when an interp
// device of the matrix has the same features and memory (its speed variant
// keeps the plain name).
std::vector<Variant> PlanVariants(const DeviceMatrix& matrix, const std::vector<std::string>& devices,
                                  const std::string& profile, const PipelinePolicy& policy);

// The variant name for a tuple: enabled non-default features (or "base"),
// disabled defaults ("nosignext"), memory, the pipeline mark when there is
// one ("speed", "size"), profile.
std::string VariantName(const FeatureSet& features, uint64_t max_memory, const std::string& profile,
                        const std::string& pipeline_mark = "");

// Why `device` gets its variant, for `matrix --explain`: one line per reason.
std::vector<std::string> Explain(const Device& device, const Variant& variant, const PipelinePolicy& policy);

}  // namespace ws
