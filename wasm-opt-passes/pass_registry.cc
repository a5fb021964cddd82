#include "wasm-opt-passes/pass_registry.h"

#include "wasm-opt-passes/stable_order_pass.h"
#include "wasm-opt-passes/strip_logs_pass.h"
#include "wasm-opt-passes/trap_audit_pass.h"

namespace ws::opt {
namespace {

// Pointers, not copies: the entries are defined in other files, and a copy
// here could be made before they are initialized.
constexpr const CustomPass* kPasses[] = {
    &kStripLogsPass,         // kBeforePipeline: remove log calls before Binaryen cleans up around them
    &kStableOrderPass,       // kAfterPipeline (kSize): an order the next build keeps, for small deltas
    &kTrapAuditPass,         // kAudit: the final code, names still there
};

}  // namespace

std::span<const CustomPass* const> CustomPasses() { return kPasses; }

}  // namespace ws::opt
