// WriteBundle for the reader's and the writer's tests: a bundle that cannot
// be written fails the test that asked for it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ota-bundle/ota_bundle.h"

namespace ws::bundle::testing {

inline std::vector<uint8_t> Write(const BundleInputs& in) {
  Result<std::vector<uint8_t>> bytes = WriteBundle(in);
  EXPECT_TRUE(bytes) << bytes.error().message;
  return bytes ? std::move(*bytes) : std::vector<uint8_t>();
}

}  // namespace ws::bundle::testing
