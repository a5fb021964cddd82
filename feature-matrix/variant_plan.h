// Variants: the distinct tuples (features, max memory, profile, pipeline)
// among the devices being built. Devices that share a tuple share one
// build and one module; `wasmship matrix --explain D` says which and why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "feature-matrix/device_matrix.h"

namespace ws {

struct Variant {
  std::string name;  // e.g. "simd-threads-512m-release"
  FeatureSet features;
  uint64_t max_memory = 0;  // bytes, a multiple of the 64 KiB wasm page
  std::string profile;
  bool speed = false;  // optimized for speed (aot devices, when the profile asks)
  std::vector<std::string> devices;  // in matrix order
};

// How one device is built under a profile.
struct DeviceBuild {
  bool speed = false;
};

// Groups `devices` (names from the matrix, in matrix order) into variants;
// `speed_for_aot` makes aot devices use the speed pipeline.
std::vector<Variant> PlanVariants(const DeviceMatrix& matrix, const std::vector<std::string>& devices,
                                  const std::string& profile, bool speed_for_aot);

// The variant name for a tuple: enabled non-default features (or "base"),
// disabled defaults ("nosignext"), memory, "speed" when it applies, profile.
std::string VariantName(const FeatureSet& features, uint64_t max_memory, const std::string& profile, bool speed);

// Why `device` gets its variant, for `matrix --explain`: one line per reason.
std::vector<std::string> Explain(const Device& device, const Variant& variant);

}  // namespace ws
