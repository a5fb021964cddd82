// The fast path of devices.yaml's reader (device_matrix_fast.cc): a file of
// one `name: { key: value, ... }` line per device, valid in every respect,
// read without yaml-cpp; nullopt for anything else, which the full reader
// then parses and diagnoses. Both give equal matrices (device_matrix_test.cc).
#pragma once

#include <optional>
#include <string>

#include "feature-matrix/device_matrix.h"

namespace ws {

std::optional<DeviceMatrix> ParseFlowDeviceMatrix(const std::string& path, const std::string& text);

}  // namespace ws
