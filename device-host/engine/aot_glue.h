// The C glue compiled into each aot module's shared object, next to
// wasm2c's output and wasm-rt-impl.c. It implements the imports wasm2c
// expects by forwarding them to one host dispatch callback, exposes one
// thunk per exported function, and runs every call under trap recovery and
// the watchdog (see aot_glue_runtime.cc for the mechanism).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "device-host/engine/wasm_module_info.h"

namespace ws::host {

// The name given to wasm2c (-n): symbols are Z_ws_app..., the instance type
// Z_ws_app_instance_t.
inline constexpr const char* kAotModuleName = "ws_app";
// Part of every cache key, and checked when an object is loaded. Bump it
// when the generated glue changes (the runtime text and the compile flags
// are hashed into the key already).
inline constexpr const char* kGlueVersion = "wasmship-aot-glue 1 (wasm2c 1.0.32, cc -O1)";

// Trap codes beyond wasm_rt_trap_t's, shared by the glue and the host.
inline constexpr int kGlueTrapHost = 100;
inline constexpr int kGlueTrapWatchdog = 101;
inline constexpr int kGlueTrapDivOverflow = 102;
inline constexpr int kGlueTrapOutOfMemory = 103;

// The exports that get a thunk, in thunk order: functions whose types the
// host can pass.
std::vector<const ExportInfo*> GlueExports(const WasmModuleInfo& info);

// wasm2c's name for a module or field: ASCII letters and digits other than
// 'Z' and '_' stay, every other byte becomes Z + two hex digits.
std::string W2cMangle(std::string_view name);

// The glue's C source for `info`, checked against the header wasm2c wrote
// (symbol names, the memory member, the instantiate signature).
Result<std::string> GenerateGlue(const WasmModuleInfo& info, std::string_view w2c_header);

// Makes wasm2c's signed division report its overflow with its own trap
// code; wasm-rt uses one code for that and for float truncation overflow.
void DistinguishDivisionOverflow(std::string& w2c_source);

}  // namespace ws::host
