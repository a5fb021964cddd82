// The wasm engines `wasmship run` embeds, behind one interface:
//   interp  wabt's interpreter in-process (the low-end device)
//   aot     wasm2c output compiled by the host C compiler, cached, dlopen'ed
// The session (host functions, frames, input) never knows which one runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws::host {

enum class ValueType { kI32, kI64, kF32, kF64 };

struct Value {
  ValueType type = ValueType::kI32;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
  };
  Value() : i64(0) {}
  static Value I32(int32_t v) { Value x; x.type = ValueType::kI32; x.i32 = v; return x; }
  static Value I64(int64_t v) { Value x; x.type = ValueType::kI64; x.i64 = v; return x; }
  static Value F32(float v) { Value x; x.type = ValueType::kF32; x.f32 = v; return x; }
  static Value F64(double v) { Value x; x.type = ValueType::kF64; x.f64 = v; return x; }
};

enum class TrapKind {
  kUnreachable,     // `unreachable` executed (abort(), __builtin_trap, failed assert)
  kOutOfBounds,     // memory or table access out of bounds
  kStackExhausted,  // call stack overflow
  kIntegerDivide,   // division by zero or overflow
  kConversion,      // invalid float-to-int conversion
  kIndirectCall,    // call_indirect to a null or mistyped entry
  kMemoryLimit,     // the app needed more memory than the device allows
  kWatchdog,        // a call ran longer than its budget (an infinite loop)
  kExit,            // the app called proc_exit; `exit_code` holds its code
  kHost,            // a host function failed
  kOther,
};

const char* TrapKindName(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::kOther;
  std::string message;
  int32_t exit_code = 0;  // for kExit
  // The wasm call stack at the trap, innermost first, as function indices
  // (imports count first, as in the binary format). Empty if the engine
  // cannot tell (aot).
  std::vector<uint32_t> stack;
};

// Results of a call, or the trap that ended it.
struct CallOutcome {
  bool trapped = false;
  std::vector<Value> results;
  Trap trap;
};

// What a host function returns: ok, or a trap that unwinds the call.
struct HostOutcome {
  bool trapped = false;
  Trap trap;
  static HostOutcome Ok() { return {}; }
  static HostOutcome Fail(TrapKind kind, std::string message, int32_t exit_code = 0) {
    return {true, {kind, std::move(message), exit_code, {}}};
  }
};

class Instance;

// One import the host provides. `params`/`results` must match the module's
// declaration exactly, or instantiation fails naming the import.
struct HostImport {
  std::string module;
  std::string name;
  std::vector<ValueType> params;
  std::vector<ValueType> results;
  std::function<HostOutcome(Instance& instance, std::span<const Value> args, std::span<Value> results)> fn;
};

struct EngineOptions {
  uint64_t max_memory_bytes = 0;        // 0: the module's own limit
  uint64_t instruction_budget = 0;      // interp: per call, exact (tests); 0 = unlimited
  uint32_t watchdog_ms = 0;             // both engines: wall-clock budget per call; 0 = unlimited
  std::string cache_dir;                // aot: where compiled modules are kept
};

class Instance {
 public:
  virtual ~Instance() = default;
  // Calls an exported function. Unknown export or wrong argument types: a
  // trap of kind kHost naming the problem.
  virtual CallOutcome Call(const std::string& export_name, std::span<const Value> args) = 0;
  // The current linear memory (may move after any call that grows it).
  virtual std::span<uint8_t> Memory() = 0;
  // Instructions executed since instantiation (interp; 0 for aot).
  virtual uint64_t InstructionsExecuted() const = 0;
  virtual bool HasExport(const std::string& name) const = 0;
  // Every global's current value, in the global index space (imports
  // first); globals of other types (v128, references) read as i32 0. Empty
  // when the engine cannot tell (aot). Pre-initialization snapshots them.
  virtual std::vector<Value> Globals() const { return {}; }
  // Worker threads alive (threads variant under interp; 0 elsewhere).
  virtual size_t WorkerCount() const { return 0; }
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual const char* name() const = 0;
  // Why this engine cannot run `wasm` (which another engine can), or
  // nullopt: checked before instantiating, so that a caller can choose
  // another engine.
  virtual std::optional<std::string> CannotRun(std::span<const uint8_t> wasm) const {
    (void)wasm;
    return std::nullopt;
  }
  // Does ahead of time what a device does when the module is installed
  // (aot: compiles it into the cache), so that Instantiate then measures
  // only what a device does at each start. Optional: Instantiate does it too.
  virtual Status Prepare(std::span<const uint8_t> wasm, const EngineOptions& options) {
    (void)wasm;
    (void)options;
    return {};
  }
  // Compiles (aot: or loads from cache) and instantiates `wasm` with
  // `imports`. Does not call any export (not even _initialize).
  virtual Result<std::unique_ptr<Instance>> Instantiate(std::span<const uint8_t> wasm,
                                                        std::vector<HostImport> imports,
                                                        const EngineOptions& options) = 0;
};

std::unique_ptr<Engine> MakeInterpEngine();
std::unique_ptr<Engine> MakeAotEngine();

}  // namespace ws::host
