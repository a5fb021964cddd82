// What the aot engine must know about a module before compiling it: its
// imports and exports with their signatures, its memory, and whether it
// uses features that wasm2c 1.0.32 cannot translate (SIMD aborts wasm2c;
// threads are unsupported). Read with wabt's binary reader, which also
// checks that the bytes are a well-formed module.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "device-host/engine/engine_common.h"
#include "wabt/type.h"

namespace ws::host {

struct ExportInfo {
  std::string name;
  bool is_function = false;
  bool is_memory = false;
  uint32_t index = 0;  // function or memory index
  FuncSig sig;         // functions only
};

struct MemoryInfo {
  bool present = false;
  bool imported = false;
  uint64_t initial_pages = 0;
  uint64_t max_pages = 0;  // the module's own limit (65536 when it has none)
  bool is_64 = false;
};

struct WasmModuleInfo {
  std::vector<ImportRequest> imports;  // every import, in order
  std::vector<ExportInfo> exports;
  MemoryInfo memory;  // memory 0
  // Non-empty when the module uses something wasm2c 1.0.32 cannot run,
  // e.g. "SIMD instructions".
  std::vector<std::string> unsupported;
};

Result<WasmModuleInfo> ReadWasmModuleInfo(std::span<const uint8_t> wasm);

// The host type of a wasm value type; false for v128 and references.
bool HostValueType(wabt::Type type, ValueType* out);

}  // namespace ws::host
