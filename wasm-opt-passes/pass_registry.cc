#include "wasm-opt-passes/pass_registry.h"

#include "wasm-opt-passes/cluster_functions_pass.h"
#include "wasm-opt-passes/strip_logs_pass.h"
#include "wasm-opt-passes/trap_audit_pass.h"

namespace ws::opt {
namespace {

// Pointers, not copies: the entries are defined in other files, and a copy
// here could be made before they are initialized.
constexpr const CustomPass* kPasses[] = {
    &kStripLogsPass,         // kBeforePipeline: remove log calls before Binaryen cleans up around them
    &kClusterFunctionsPass,  // kAfterPipeline (kSize): order functions for the compressor
    &kTrapAuditPass,         // kAudit: the final code, names still there
};

}  // namespace

std::span<const CustomPass* const> CustomPasses() { return kPasses; }

}  // namespace ws::opt
