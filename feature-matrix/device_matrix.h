// devices.yaml: the capability matrix of the devices an app ships to. Every
// key and value is checked, with file:line:col and suggestions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "wasm-binary/wasm_features.h"

namespace ws {

// The wasm features a device's engine supports.
using FeatureSet = wasm::WasmFeatures;

struct Device {
  std::string name;
  FeatureSet features;
  int cores = 1;
  uint64_t memory = 64ull << 20;  // bytes of linear memory the app may use
  std::string engine = "interp";  // interp or aot
  int host_abi = 1;
  Span span;  // where the device is declared
};

struct DeviceMatrix {
  std::string path;
  std::vector<Device> devices;  // in file order

  const Device* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
};

// The feature keys a device may set (DESIGN: devices.yaml).
const std::vector<std::string>& FeatureNames();

std::optional<DeviceMatrix> LoadDeviceMatrix(const std::string& path, DiagnosticSink& sink);
// The same from text already read (`path` names it in diagnostics).
std::optional<DeviceMatrix> ParseDeviceMatrix(const std::string& path, const std::string& text, DiagnosticSink& sink);
// The same without the fast path for one-line devices (tests compare both).
std::optional<DeviceMatrix> ParseDeviceMatrixWithYamlCpp(const std::string& path, const std::string& text,
                                                         DiagnosticSink& sink);

// The device called `name`, or a diagnostic listing the known ones.
const Device* FindDevice(const DeviceMatrix& matrix, const std::string& name, DiagnosticSink& sink);

}  // namespace ws
