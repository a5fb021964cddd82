// The optimize step of a build, run by `wasmship __optimize --request FILE`
// in its own process (Binaryen keeps global state and exits on a bad pass
// name), so variants optimize in parallel and a Binaryen failure cannot
// take the build down: validates the module against the variant's
// features, runs Optimize() and writes the module, a report (passes, traps)
// and the symbol map (function index → demangled name; the bundle step adds
// components).
#pragma once

#include <cstdint>

#include "diagnostics/result.h"
#include "wasm-opt-passes/optimize_request.h"

namespace ws::opt {

// A bundle's bytes besides its zstd payload: magic, lengths, the manifest
// (about 600 bytes for a few devices) and the signature block, rounded up.
inline constexpr uint64_t kBundleAllowance = 1024;

// Every failure is a build error; the message is ready to print after
// "wasmship: error: " (a feature outside the variant adds a note line).
Status RunOptimizeStep(const OptimizeRequest& request);

// The request file compiler-driver wrote.
Result<OptimizeRequest> ReadOptimizeRequest(const std::string& path);

}  // namespace ws::opt
