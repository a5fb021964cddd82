// strip-logs: removes log calls below a level, and the strings only they
// used.
//
// Release builds should not pay, in download size or frame time, for debug
// and info logging. The pass finds direct calls to the function imported
// as ws_host.log(level, ptr, len) whose level is an i32.const below the
// threshold and whose other operands have no side effects (reads are
// fine), and replaces them by a nop (when the call sits in a block, if or
// loop, where every statement-position call sits; elsewhere it retargets
// the call to an empty function, which Binaryen's inliner later removes).
// It also follows thin wrappers whose whole body forwards their three
// parameters to the import, so calls to such a wrapper count too.
//
// A removed call's message, when ptr and len are constants, is zeroed in
// its data segment (memory-packing then drops the zeros) unless something
// else may still read it: another i32.const in the code or a global
// initializer pointing into [ptr, ptr+len), an aligned 32-bit word in the
// data segments doing so (the wasm32 ABI aligns stored pointers to 4
// bytes; a packed struct holding such a pointer would escape this check),
// or a still-referenced C string running into it
// (a reference below ptr with no NUL in between: linkers merge string
// tails). Segments placed relative to an imported base (position-
// independent code) are left alone: their addresses are not constants.
#pragma once

#include <cstdint>

#include "diagnostics/result.h"
#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/custom_pass.h"

namespace ws::opt {

struct StripLogsStats {
  uint32_t calls_removed = 0;
  uint32_t calls_kept = 0;  // calls to the import that are not removable
  uint64_t string_bytes_removed = 0;
};

// Removes the calls with a constant level below `below` (0 debug .. 3
// error). May reload `module` (to zero string bytes).
Result<StripLogsStats> StripLogs(Module& module, int below);

extern const CustomPass kStripLogsPass;

}  // namespace ws::opt
