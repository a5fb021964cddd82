// The shape of wasmship's own passes (as opposed to Binaryen's).
//
// Each pass lives in its own file with a function that does the work (and
// that its unit test calls) and a CustomPass entry, listed in
// pass_registry.cc, through which Optimize() runs it and records what it
// did.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics/result.h"
#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {

// Where in Optimize() a pass runs.
enum class PassStage {
  kBeforePipeline,  // on the module as read, before Binaryen's passes
  kAfterPipeline,   // after Binaryen's passes (kSize/kSpeed), before the audit
  kAudit,           // on the final module, read-only, before names are stripped
};

struct PassContext {
  const OptimizeOptions& options;
  OptimizeResult& result;  // trap-audit fills result.traps
};

struct CustomPass {
  std::string_view name;
  PassStage stage;
  bool (*enabled)(const OptimizeOptions& options);
  // Returns the report's summary ("removed 3 calls ...").
  Result<std::string> (*run)(Module& module, PassContext& context);
};

}  // namespace ws::opt
