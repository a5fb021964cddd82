// The aot engine: the "faster device". The module is translated to C by
// wasm2c, compiled with the host C compiler into a shared object together
// with generated glue (aot_glue.h), cached (aot_library.h) and run
// in-process. Calls go through the glue with 64-bit value slots; traps come
// back as codes; the watchdog is a timer signal (aot_watchdog.h).
#include <algorithm>
#include <bit>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "device-host/engine/aot_glue.h"
#include "device-host/engine/aot_library.h"
#include "device-host/engine/aot_watchdog.h"
#include "device-host/engine/engine.h"
#include "device-host/engine/engine_common.h"
#include "device-host/engine/wasm_module_info.h"

namespace ws::host {
namespace {

uint64_t ToSlot(const Value& v) {
  switch (v.type) {
    case ValueType::kI32: return static_cast<uint32_t>(v.i32);
    case ValueType::kI64: return static_cast<uint64_t>(v.i64);
    case ValueType::kF32: return std::bit_cast<uint32_t>(v.f32);
    case ValueType::kF64: return std::bit_cast<uint64_t>(v.f64);
  }
  return 0;
}

Value FromSlot(uint64_t slot, ValueType type) {
  switch (type) {
    case ValueType::kI32: return Value::I32(static_cast<int32_t>(static_cast<uint32_t>(slot)));
    case ValueType::kI64: return Value::I64(static_cast<int64_t>(slot));
    case ValueType::kF32: return Value::F32(std::bit_cast<float>(static_cast<uint32_t>(slot)));
    case ValueType::kF64: return Value::F64(std::bit_cast<double>(slot));
  }
  return {};
}

// wasm-rt's trap codes (wasm_rt_trap_t) and the glue's own.
std::pair<TrapKind, const char*> DescribeTrapCode(int code) {
  switch (code) {
    case 1: return {TrapKind::kOutOfBounds, "out of bounds memory or table access"};
    case 2: return {TrapKind::kConversion, "integer overflow in float-to-int conversion"};
    case 3: return {TrapKind::kIntegerDivide, "integer divide by zero"};
    case 4: return {TrapKind::kConversion, "invalid conversion to integer"};
    case 5: return {TrapKind::kUnreachable, "unreachable executed"};
    case 6: return {TrapKind::kIndirectCall, "invalid call_indirect (null, out of range or mistyped)"};
    case 7: return {TrapKind::kOther, "uncaught wasm exception"};
    case 8: return {TrapKind::kStackExhausted, "call stack exhausted"};
    case kGlueTrapDivOverflow: return {TrapKind::kIntegerDivide, "integer overflow in division"};
    case kGlueTrapOutOfMemory:
      return {TrapKind::kMemoryLimit, "the host could not allocate the module's memory"};
    default: return {TrapKind::kOther, "unknown trap"};
  }
}

struct AotExport {
  uint32_t thunk = 0;
  FuncSig sig;
};

// What one Call() learns from host functions; nested calls have their own.
struct CallState {
  std::optional<Trap> host_trap;
};

class AotInstance final : public Instance {
 public:
  AotInstance(std::shared_ptr<AotLibrary> library, std::vector<HostImport> imports,
              std::vector<size_t> import_map, const EngineOptions& options)
      : library_(std::move(library)),
        imports_(std::move(imports)),
        import_map_(std::move(import_map)),
        options_(options) {}
  ~AotInstance() override {
    if (ctx_ != nullptr) library_->api().destroy(ctx_);
  }
  AotInstance(const AotInstance&) = delete;
  AotInstance& operator=(const AotInstance&) = delete;

  Status Start(const WasmModuleInfo& info);
  CallOutcome Call(const std::string& export_name, std::span<const Value> args) override;
  std::span<uint8_t> Memory() override;
  uint64_t InstructionsExecuted() const override { return 0; }
  bool HasExport(const std::string& name) const override { return export_names_.count(name) > 0; }

 private:
  static int Dispatch(void* host, uint32_t import_index, const uint64_t* args, uint64_t* results);
  int OnHostCall(uint32_t import_index, const uint64_t* args, uint64_t* results);
  CallOutcome TrapOf(int code, const std::string& export_name, CallState& state);

  std::shared_ptr<AotLibrary> library_;
  void* ctx_ = nullptr;
  std::vector<HostImport> imports_;
  std::vector<size_t> import_map_;  // module import index → imports_ index
  EngineOptions options_;
  std::map<std::string, AotExport> exports_;
  std::set<std::string> export_names_;
  CallState* call_ = nullptr;
};

Status AotInstance::Start(const WasmModuleInfo& info) {
  std::vector<const ExportInfo*> thunks = GlueExports(info);
  for (size_t i = 0; i < thunks.size(); ++i) {
    exports_[thunks[i]->name] = {static_cast<uint32_t>(i), thunks[i]->sig};
  }
  for (const ExportInfo& e : info.exports) export_names_.insert(e.name);

  const GlueApi& api = library_->api();
  // 32-bit memories end at 65536 pages; a larger cap is no cap.
  uint64_t cap_pages = std::min<uint64_t>(MemoryCapPages(options_), 65536);
  ctx_ = api.create(this, &AotInstance::Dispatch, static_cast<uint32_t>(cap_pages));
  if (ctx_ == nullptr) return Error{"out of memory creating the instance"};
  std::lock_guard<std::recursive_mutex> lock(library_->mutex());
  // Data segments and a start function run here, under the same watchdog.
  WatchdogScope watchdog(options_.watchdog_ms, api.watchdog_fired);
  if (!watchdog.error().empty()) return Error{watchdog.error()};
  CallState state;
  call_ = &state;
  int code = api.instantiate(ctx_, watchdog.armed() ? 1 : 0, WasmStackLimit());
  call_ = nullptr;
  if (code == 0) return {};
  std::string why = code == kGlueTrapWatchdog
                        ? "the start function ran longer than " + std::to_string(options_.watchdog_ms) + " ms"
                    : state.host_trap ? state.host_trap->message
                                      : DescribeTrapCode(code).second;
  return Error{"instantiation failed: " + why};
}

int AotInstance::Dispatch(void* host, uint32_t import_index, const uint64_t* args, uint64_t* results) {
  return static_cast<AotInstance*>(host)->OnHostCall(import_index, args, results);
}

int AotInstance::OnHostCall(uint32_t import_index, const uint64_t* args, uint64_t* results) {
  const HostImport& import = imports_[import_map_[import_index]];
  std::vector<Value> in;
  in.reserve(import.params.size());
  for (size_t i = 0; i < import.params.size(); ++i) in.push_back(FromSlot(args[i], import.params[i]));
  std::vector<Value> out(import.results.size());
  HostOutcome outcome = CallHost(import, *this, in, out);
  if (outcome.trapped) {
    if (call_ != nullptr) call_->host_trap = std::move(outcome.trap);
    return 1;
  }
  for (size_t i = 0; i < out.size(); ++i) results[i] = ToSlot(out[i]);
  return 0;
}

CallOutcome AotInstance::Call(const std::string& export_name, std::span<const Value> args) {
  auto found = exports_.find(export_name);
  if (found == exports_.end()) {
    return TrapOutcome(TrapKind::kHost, "the module exports no function named " + export_name);
  }
  const AotExport& func = found->second;
  if (std::string why = CheckCallArgs(export_name, func.sig, args); !why.empty()) {
    return TrapOutcome(TrapKind::kHost, why);
  }
  std::vector<uint64_t> slots(std::max<size_t>(args.size(), 1));
  for (size_t i = 0; i < args.size(); ++i) slots[i] = ToSlot(args[i]);
  std::vector<uint64_t> results(std::max<size_t>(func.sig.results.size(), 1));

  const GlueApi& api = library_->api();
  std::lock_guard<std::recursive_mutex> lock(library_->mutex());
  WatchdogScope watchdog(options_.watchdog_ms, api.watchdog_fired);
  if (!watchdog.error().empty()) return TrapOutcome(TrapKind::kHost, watchdog.error());
  CallState state;
  CallState* outer = std::exchange(call_, &state);
  api.take_memory_limit_hit(ctx_);
  int code =
      api.call(ctx_, func.thunk, slots.data(), results.data(), watchdog.armed() ? 1 : 0, WasmStackLimit());
  call_ = outer;
  if (code != 0) return TrapOf(code, export_name, state);
  CallOutcome outcome;
  for (size_t i = 0; i < func.sig.results.size(); ++i) {
    outcome.results.push_back(FromSlot(results[i], func.sig.results[i]));
  }
  return outcome;
}

CallOutcome AotInstance::TrapOf(int code, const std::string& export_name, CallState& state) {
  bool memory_limit_hit = library_->api().take_memory_limit_hit(ctx_) != 0;
  if (code == kGlueTrapHost && state.host_trap) {
    CallOutcome outcome;
    outcome.trapped = true;
    outcome.trap = std::move(*state.host_trap);
    return outcome;
  }
  if (code == kGlueTrapWatchdog) {
    return TrapOutcome(TrapKind::kWatchdog, "the call to " + export_name + " ran longer than " +
                                                std::to_string(options_.watchdog_ms) + " ms");
  }
  auto [kind, message] = DescribeTrapCode(code);
  if (memory_limit_hit) return TrapOutcome(TrapKind::kMemoryLimit, MemoryLimitMessage(options_, message));
  return TrapOutcome(kind, message);
}

std::span<uint8_t> AotInstance::Memory() {
  uint64_t size = 0;
  uint8_t* data = library_->api().memory(ctx_, &size);
  return data != nullptr ? std::span<uint8_t>(data, size) : std::span<uint8_t>();
}

std::string Unsupported(const WasmModuleInfo& info) {
  std::string what;
  for (const std::string& feature : info.unsupported) what += (what.empty() ? "" : " and ") + feature;
  return "the aot engine (wasm2c 1.0.32) cannot run this module: it uses " + what +
         "; run it with --engine interp";
}

class AotEngine final : public Engine {
 public:
  const char* name() const override { return "aot"; }
  std::optional<std::string> CannotRun(std::span<const uint8_t> wasm) const override {
    Result<WasmModuleInfo> info = ReadWasmModuleInfo(wasm);
    if (!info || info->unsupported.empty()) return std::nullopt;  // a bad module fails when instantiated
    return Unsupported(*info);
  }
  Status Prepare(std::span<const uint8_t> wasm, const EngineOptions& options) override {
    Result<WasmModuleInfo> info = ReadWasmModuleInfo(wasm);
    if (!info || !info->unsupported.empty()) return {};  // Instantiate says what is wrong
    // Compiled into the cache; the library itself is closed again, so that
    // each start still pays for loading it, as on a device.
    Result<std::shared_ptr<AotLibrary>> library = LoadAotLibrary(wasm, *info, options.cache_dir);
    if (!library) return library.error();
    return {};
  }
  Result<std::unique_ptr<Instance>> Instantiate(std::span<const uint8_t> wasm,
                                                std::vector<HostImport> imports,
                                                const EngineOptions& options) override {
    Result<WasmModuleInfo> info = ReadWasmModuleInfo(wasm);
    if (!info) return info.error();
    // Checked before wasm2c runs: it aborts on SIMD.
    if (!info->unsupported.empty()) return Error{Unsupported(*info)};
    if (Status fits = CheckInitialMemory(info->memory.initial_pages, options); !fits) {
      return fits.error();
    }
    Result<std::vector<size_t>> matched = MatchImports(info->imports, imports);
    if (!matched) return matched.error();
    Result<std::shared_ptr<AotLibrary>> library = LoadAotLibrary(wasm, *info, options.cache_dir);
    if (!library) return library.error();
    auto instance =
        std::make_unique<AotInstance>(std::move(*library), std::move(imports), std::move(*matched), options);
    if (Status started = instance->Start(*info); !started) return started.error();
    return std::unique_ptr<Instance>(std::move(instance));
  }
};

}  // namespace

std::unique_ptr<Engine> MakeAotEngine() { return std::make_unique<AotEngine>(); }

}  // namespace ws::host
