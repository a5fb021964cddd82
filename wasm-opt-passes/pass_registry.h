// The one list of wasmship's own passes (see custom_pass.h), in the order
// Optimize() runs them within a stage.
#pragma once

#include <span>

#include "wasm-opt-passes/custom_pass.h"

namespace ws::opt {

std::span<const CustomPass* const> CustomPasses();

}  // namespace ws::opt
