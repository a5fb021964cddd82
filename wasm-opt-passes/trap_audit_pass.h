// trap-audit: where the final module can trap, and whether a frame can
// reach it.
//
// A trap on a TV restarts the app in front of the viewer, so the release
// report lists, per function, the trap sites that survive optimization:
// `unreachable` instructions (what __builtin_trap, failed bounds checks of
// the standard library and UB traps compile to) and direct calls to
// abort-like functions (abort, _Exit, __assert_fail, __cxa_pure_virtual,
// std::__libcpp_verbose_abort, ...; matched on the bare demangled name so
// both "abort" and "std::__2::__libcpp_verbose_abort(char const*, ...)"
// count). A function is "on the frame path" when the exports ws_frame or
// ws_input reach it through direct calls. Indirect calls (call_indirect
// through the table: virtual functions, std::function) are not followed,
// so the path is a lower bound.
//
// The audit reads the optimized module before names are stripped and
// changes nothing.
#pragma once

#include <vector>

#include "wasm-opt-passes/custom_pass.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {

// Functions with at least one trap site, most sites first, then by name.
std::vector<TrapSites> AuditTraps(BinaryenModuleRef module);

extern const CustomPass kTrapAuditPass;

}  // namespace ws::opt
