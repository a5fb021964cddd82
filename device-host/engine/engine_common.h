// What the interp and aot engines share: signatures, import matching,
// argument checks and the wording of their errors and traps, so that the
// session sees the same messages whichever engine runs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "device-host/engine/engine.h"

namespace ws::host {

inline constexpr uint64_t kWasmPageSize = 65536;
// The deepest wasm call stack of a call: wabt's default call stack (64 KiB
// of frames). aot counts calls against the same limit (besides checking its
// native stack), so that a runaway recursion ends as "stack-exhausted" on
// both engines, at the same depth, before it overruns the app's shadow
// stack in linear memory (which would be an out-of-bounds access).
inline constexpr uint32_t kMaxCallDepth = 1638;

struct FuncSig {
  std::vector<ValueType> params;
  std::vector<ValueType> results;
  // False when a param or result is a type a Value cannot carry (v128,
  // references): such a function can be neither imported nor called.
  bool representable = true;
};

// One import the module declares. Only functions can be provided by the
// host; any other kind fails instantiation.
struct ImportRequest {
  std::string module;
  std::string name;
  bool is_function = true;
  const char* kind_name = "function";
  FuncSig sig;
};

const char* ValueTypeName(ValueType type);
// "(i32, f32) -> (i64)"
std::string SignatureText(std::span<const ValueType> params, std::span<const ValueType> results);

// For each requested function import, the index of the HostImport that
// provides it; an error naming "module.name" when one is missing, has the
// wrong signature or is not a function.
Result<std::vector<size_t>> MatchImports(const std::vector<ImportRequest>& wanted,
                                         const std::vector<HostImport>& provided);

// Empty when `args` fit `sig`, otherwise why not (for a kHost trap).
std::string CheckCallArgs(const std::string& export_name, const FuncSig& sig, std::span<const Value> args);

CallOutcome TrapOutcome(TrapKind kind, std::string message, std::vector<uint32_t> stack = {});

// Runs a host function with `args`, filling `results` (typed as the import
// declares, whatever the function wrote). An exception it throws becomes a
// kHost trap: it must not unwind through the engine.
HostOutcome CallHost(const HostImport& import, Instance& instance, std::span<const Value> args,
                     std::span<Value> results);

// The page cap that max_memory_bytes imposes (0: none).
uint64_t MemoryCapPages(const EngineOptions& options);
// Checks a memory's initial size against the cap; an instantiation error
// when the module could not even start within it.
Status CheckInitialMemory(uint64_t initial_pages, const EngineOptions& options);
// The message of a kMemoryLimit trap, built from the trap that followed the
// failed allocation.
std::string MemoryLimitMessage(const EngineOptions& options, const std::string& trap_message);

}  // namespace ws::host
