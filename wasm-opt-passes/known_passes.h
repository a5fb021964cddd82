// The pass names Binaryen 108 knows. Binaryen's C API exits the process
// (Fatal) when BinaryenModuleRunPasses meets a name it does not know, so
// every list is checked here first and an unknown name becomes an error
// value. The list is `wasm-opt --help` of the Debian package binaryen 108-1.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "diagnostics/result.h"

namespace ws::opt {

bool IsKnownPass(std::string_view name);

// Ok when Binaryen 108 knows every name; otherwise the error names the
// first unknown one (and the nearest known one, for typos).
Status CheckPassNames(std::span<const std::string> names);

}  // namespace ws::opt
