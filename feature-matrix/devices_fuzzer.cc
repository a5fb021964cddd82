// libFuzzer target: the devices.yaml loader (the YAML parser, then every
// device's keys and values) on any bytes, under AddressSanitizer. `ctest`
// runs it briefly, bench/fuzz for long.
#include <cstddef>
#include <cstdint>
#include <string>

#include "feature-matrix/device_matrix.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ws::DiagnosticSink sink;
  std::optional<ws::DeviceMatrix> matrix = ws::ParseDeviceMatrix("fuzz/devices.yaml", text, sink);
  // A matrix of at least one device, or the errors that say why not.
  if (matrix.has_value() == sink.HasErrors()) __builtin_trap();
  if (matrix && matrix->devices.empty()) __builtin_trap();
  return 0;
}
