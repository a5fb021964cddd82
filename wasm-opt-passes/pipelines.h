// The Binaryen pass lists behind each Pipeline, and the settings they run
// with.
//
// kSize's round is Binaryen 108's own -Oz pipeline written out (what
// BinaryenModuleOptimize runs at optimize level 2, shrink level 2, as
// BINARYEN_PASS_DEBUG=1 wasm-opt -Oz prints it), so that every name is
// checked before the run and reports can list it; the nested passes
// (dae-optimizing, inlining-optimizing, simplify-globals-optimizing) run
// the same per-function pipeline BinaryenModuleOptimize would. kSpeed is
// -O3's list.
#pragma once

#include <string>
#include <vector>

#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {

// kSize repeats its round while the module shrinks, at most this often.
inline constexpr int kMaxSizeRounds = 4;

// After metadce has removed unwanted exports: whatever is no longer
// reachable.
std::vector<std::string> MetadcePasses();
std::vector<std::string> SizeRoundPasses();
std::vector<std::string> SpeedPasses();
// Re-run after a pass that rebuilt functions (Binaryen writes optimized
// Stack IR when a function has it).
std::vector<std::string> StackIrPasses();
std::vector<std::string> StripPasses();

BinaryenSettings SettingsFor(const OptimizeOptions& options, bool debug_info);

}  // namespace ws::opt
