// Binaryen's validator, with its findings turned into one clear sentence.
//
// BinaryenModuleValidate prints what it finds to std::cerr and returns a
// bool. We capture that output (stderr_capture.h), pick the first
// offending function (lowest index, so the answer does not depend on the
// order Binaryen's parallel validation prints in), demangle it, and name
// the feature from the message or the printed instruction: Binaryen's
// wording differs per feature ("SIMD operation (SIMD is disabled)", "all
// used features should be allowed", "all used types should be allowed"),
// the instruction text does not.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics/result.h"
#include "wasm-opt-passes/binaryen_module.h"

namespace ws::opt {

// Validates `module` with its own feature mask.
Status ValidateLoaded(const Module& module);

// The sentence for a validator log, e.g. "function ws::ui::Layout(float)
// uses SIMD instructions, which this variant does not have".
std::string DescribeValidatorLog(std::string_view log, BinaryenModuleRef module);

}  // namespace ws::opt
