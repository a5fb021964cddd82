// The interp engine: wabt 1.0.32's interpreter, in-process. Calls run one
// instruction at a time through wabt_access.h, in slices, so that the
// watchdog (a wall-clock limit per call, checked once a slice, and an
// optional exact instruction budget) always ends an infinite loop. The threads variant (a shared memory imported as
// env.memory) gets its memory and ws_host.spawn_worker from the engine; its
// workers are scheduled by interp_threads.h.
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "device-host/engine/engine.h"
#include "device-host/engine/engine_common.h"
#include "device-host/engine/interp_support.h"
#include "device-host/engine/interp_threads.h"
#include "device-host/engine/wabt_access.h"
#include "host-abi/host_abi.h"
#include "wabt/binary-reader.h"
#include "wabt/interp/binary-reader-interp.h"
#include "wabt/interp/interp.h"

namespace ws::host {
namespace {

namespace wi = wabt::interp;
namespace wa = wabt_access;

static_assert(wi::Thread::Options::kDefaultCallStackSize == kMaxCallDepth,
              "aot's call depth limit must be the interpreter's");

struct ExportFunc {
  wi::Ref ref;
  FuncSig sig;
};

// What one Call() learns while it runs; nested calls (a host function that
// calls back into the instance) each have their own.
struct CallState {
  std::optional<Trap> host_trap;
  bool memory_limit_hit = false;
};

// spawn_worker's answers besides 0 (started): any of them makes the runtime
// do the work inline.
constexpr int32_t kSpawnNoEntry = 1;  // no ws_worker_main (i32) -> ()
constexpr int32_t kSpawnTooMany = 2;  // kMaxWorkers alive
constexpr int32_t kSpawnFailed = 3;   // the worker's instantiation failed

bool IsEnvMemory(const wi::ImportDesc& import) {
  return import.type.type->kind == wabt::ExternalKind::Memory && import.type.module == host_abi::kSharedMemoryModule &&
         import.type.name == host_abi::kSharedMemoryName;
}

bool IsSpawnWorker(const wi::ImportDesc& import) {
  return import.type.type->kind == wabt::ExternalKind::Func &&
         import.type.module == host_abi::kImportSpawnWorker.module && import.type.name == host_abi::kImportSpawnWorker.name;
}

class InterpInstance final : public Instance {
 public:
  InterpInstance(std::vector<HostImport> imports, const EngineOptions& options)
      : imports_(std::move(imports)), options_(options), cap_pages_(MemoryCapPages(options)) {}

  Status Load(std::span<const uint8_t> wasm);
  Status Link();

  CallOutcome Call(const std::string& export_name, std::span<const Value> args) override;
  std::span<uint8_t> Memory() override;
  uint64_t InstructionsExecuted() const override { return executed_; }
  bool HasExport(const std::string& name) const override { return export_names_.count(name) > 0; }
  size_t WorkerCount() const override { return scheduler_ ? scheduler_->LiveWorkers() : 0; }
  std::vector<Value> Globals() const override;

 private:
  wabt::Result OnHostCall(size_t provided, const wi::Values& params, wi::Values& results,
                          wi::Trap::Ptr* out_trap);
  Status CapMemories(wi::ModuleDesc& desc);
  Status CapLimits(wabt::Limits& limits);
  Result<wi::RefVec> ImportRefs();
  Result<wi::Ref> SpawnWorkerFunc(const wi::ImportDesc& import);
  int32_t SpawnWorker(uint32_t arg);
  void IndexExports();
  void IndexFuncs(const wi::Instance& instance);
  RunEnd Run(wi::Thread& thread, const ExportFunc& func, const wi::Values& params, wi::Values& results);
  wi::RunResult StepGrow(wi::Thread& thread, wi::Trap::Ptr* trap);
  CallOutcome Invoke(const std::string& what, const ExportFunc& func, std::span<const Value> args);
  CallOutcome OutcomeOf(const std::string& what, const ExportFunc& func, const wi::Thread& thread,
                        const RunEnd& end, const wi::Values& results, CallState& state) const;
  CallOutcome TrapOf(const wi::Thread& thread, const wi::Trap::Ptr& trap, CallState& state) const;
  std::vector<uint32_t> StackOf(const wi::Thread& thread) const;

  // The store owns every wabt object; it is declared first so that it is
  // destroyed last.
  std::unique_ptr<wi::Store> store_;
  std::unique_ptr<Scheduler> scheduler_;
  wi::Module::Ptr module_;
  wi::Instance::Ptr instance_;
  std::vector<wi::Instance::Ptr> worker_instances_;
  std::vector<wi::HostFunc::Ptr> host_funcs_;
  wi::Memory::Ptr memory_;
  wi::Memory::Ptr env_memory_;  // the threads variant's, created by the engine
  wi::RefVec import_refs_;      // the same for every instance of the module
  std::vector<HostImport> imports_;
  EngineOptions options_;
  uint64_t cap_pages_ = 0;
  std::vector<uint64_t> declared_max_pages_;       // per memory (imported first), before the cap
  std::optional<wabt::Limits> env_memory_limits_;  // capped
  bool shared_memory_ = false;                     // the scheduler must run wait/notify
  bool threads_ = false;                           // env.memory is shared: workers
  std::optional<size_t> worker_main_;              // ws_worker_main among the exports
  std::map<std::string, ExportFunc> exports_;
  std::set<std::string> export_names_;
  std::unordered_map<size_t, uint32_t> func_index_;  // Ref::index → function index
  std::optional<wi::Index> start_func_;
  uint64_t executed_ = 0;
  CallState* call_ = nullptr;
};

Status InterpInstance::Load(std::span<const uint8_t> wasm) {
  wabt::Features features;
  features.EnableAll();
  store_ = std::make_unique<wi::Store>(features);
  wabt::ReadBinaryOptions read_options(features, nullptr, /*read_debug_names=*/false,
                                       /*stop_on_first_error=*/true,
                                       /*fail_on_custom_section_error=*/false);
  wabt::Errors errors;
  wi::ModuleDesc desc;
  if (wabt::Failed(
          wi::ReadBinaryInterp("module.wasm", wasm.data(), wasm.size(), read_options, &errors, &desc))) {
    std::string why = errors.empty() ? "unknown error" : errors.front().message;
    if (!errors.empty()) why += " (at byte " + std::to_string(errors.front().loc.offset) + ")";
    return Error{"invalid wasm module: " + why};
  }
  if (Status capped = CapMemories(desc); !capped) return capped;
  // wabt would run the start function inside Instantiate without a
  // budget; Link() runs it like any call instead (and workers on their own
  // thread).
  if (!desc.starts.empty()) start_func_ = desc.starts.front().func_index;
  desc.starts.clear();
  module_ = wi::Module::New(*store_, std::move(desc));
  // Watching memory.grow costs a peek per instruction; only a cap needs it.
  Scheduler::GrowFn grow;
  if (cap_pages_ != 0) {
    grow = [this](wi::Thread& thread, wi::Trap::Ptr* trap) { return StepGrow(thread, trap); };
  }
  scheduler_ = std::make_unique<Scheduler>(*store_, shared_memory_, std::move(grow));
  return {};
}

// Lowers each memory's maximum to the device's cap, so that memory.grow
// beyond it fails and the app sees an allocation failure. Memory indices
// count imported memories first.
Status InterpInstance::CapMemories(wi::ModuleDesc& desc) {
  for (const wi::ImportDesc& import : desc.imports) {
    if (import.type.type->kind != wabt::ExternalKind::Memory) continue;
    wabt::Limits limits = static_cast<const wi::MemoryType&>(*import.type.type).limits;
    if (!IsEnvMemory(import)) {  // Link() refuses it
      declared_max_pages_.push_back(UINT64_MAX);
      continue;
    }
    if (Status fits = CapLimits(limits); !fits) return fits;
    env_memory_limits_ = limits;
  }
  for (wi::MemoryDesc& memory : desc.memories) {
    if (Status fits = CapLimits(memory.type.limits); !fits) return fits;
  }
  threads_ = env_memory_limits_ && env_memory_limits_->is_shared;
  return {};
}

Status InterpInstance::CapLimits(wabt::Limits& limits) {
  declared_max_pages_.push_back(limits.has_max ? limits.max : UINT64_MAX);
  shared_memory_ = shared_memory_ || limits.is_shared;
  if (Status fits = CheckInitialMemory(limits.initial, options_); !fits) return fits;
  if (cap_pages_ == 0 || (limits.has_max && limits.max <= cap_pages_)) return {};
  limits.has_max = true;
  limits.max = cap_pages_;
  return {};
}

Status InterpInstance::Link() {
  Result<wi::RefVec> refs = ImportRefs();
  if (!refs) return refs.error();
  import_refs_ = std::move(*refs);
  CallState state;  // a start function may call the host
  call_ = &state;
  wi::Trap::Ptr trap;
  instance_ = wi::Instance::Instantiate(*store_, module_.ref(), import_refs_, &trap);
  call_ = nullptr;
  if (!instance_) {
    std::string why = state.host_trap ? state.host_trap->message : trap ? trap->message() : "";
    return Error{"instantiation failed: " + why};
  }
  IndexExports();
  if (!start_func_) return {};
  CallOutcome started = Invoke("the start function", {instance_->funcs()[*start_func_], {}}, {});
  if (!started.trapped) return {};
  return Error{"instantiation failed: the start function trapped: " + started.trap.message};
}

// What each import resolves to: the host's functions, and in the threads
// variant the engine's memory and spawn_worker.
Result<wi::RefVec> InterpInstance::ImportRefs() {
  const std::vector<wi::ImportDesc>& imports = module_->desc().imports;
  wi::RefVec refs(imports.size());
  std::vector<ImportRequest> wanted;
  std::vector<size_t> wanted_at;
  for (size_t i = 0; i < imports.size(); ++i) {
    if (IsEnvMemory(imports[i]) && env_memory_limits_) {
      if (!env_memory_) env_memory_ = wi::Memory::New(*store_, wi::MemoryType(*env_memory_limits_));
      refs[i] = env_memory_.ref();
    } else if (threads_ && IsSpawnWorker(imports[i])) {
      Result<wi::Ref> spawn = SpawnWorkerFunc(imports[i]);
      if (!spawn) return spawn.error();
      refs[i] = *spawn;
    } else {
      wanted.push_back(RequestOf(imports[i]));
      wanted_at.push_back(i);
    }
  }
  Result<std::vector<size_t>> matched = MatchImports(wanted, imports_);
  if (!matched) return matched.error();
  for (size_t k = 0; k < wanted.size(); ++k) {
    size_t provided = (*matched)[k];
    const auto& type = static_cast<const wi::FuncType&>(*imports[wanted_at[k]].type.type);
    host_funcs_.push_back(wi::HostFunc::New(*store_, type,
                                            [this, provided](wi::Thread&, const wi::Values& params,
                                                             wi::Values& results, wi::Trap::Ptr* out_trap) {
                                              return OnHostCall(provided, params, results, out_trap);
                                            }));
    refs[wanted_at[k]] = host_funcs_.back().ref();
  }
  return refs;
}

// The threads variant's spawn_worker is the engine's own, whatever the host
// passed: a worker is another instance of the module on the scheduler.
Result<wi::Ref> InterpInstance::SpawnWorkerFunc(const wi::ImportDesc& import) {
  const auto& type = static_cast<const wi::FuncType&>(*import.type.type);
  static_assert(host_abi::kImportSpawnWorker.signature == host_abi::Signature{{host_abi::kI32}, {host_abi::kI32}},
                "the engine's spawn_worker and its message below are (i32) -> (i32)");
  const wi::ValueTypes i32 = {wabt::Type::I32};
  if (type.params != i32 || type.results != i32) {
    FuncSig sig = SigOf(type);
    return Error{"import ws_host.spawn_worker: the module declares " +
                 SignatureText(sig.params, sig.results) + " but the engine provides (i32) -> (i32)"};
  }
  host_funcs_.push_back(wi::HostFunc::New(
      *store_, type, [this](wi::Thread&, const wi::Values& params, wi::Values& results, wi::Trap::Ptr*) {
        results[0] = wi::Value::Make(static_cast<wi::s32>(SpawnWorker(params[0].Get<wi::u32>())));
        return wabt::Result::Ok;
      }));
  return host_funcs_.back().ref();
}

// A worker: the module instantiated again over the same memory and imports,
// without _initialize; its start function (wasm-ld's __wasm_init_memory,
// guarded by an atomic flag) then ws_worker_main(arg) run on its own thread.
int32_t InterpInstance::SpawnWorker(uint32_t arg) {
  if (!worker_main_) return kSpawnNoEntry;
  if (scheduler_->LiveWorkers() >= kMaxWorkers) return kSpawnTooMany;
  wi::Trap::Ptr trap;
  wi::Instance::Ptr worker = wi::Instance::Instantiate(*store_, module_.ref(), import_refs_, &trap);
  if (!worker) return kSpawnFailed;
  std::vector<PendingCall> calls;
  if (start_func_) calls.push_back({worker->funcs()[*start_func_], {}});
  calls.push_back({worker->exports()[*worker_main_], {wi::Value::Make(arg)}});
  if (!scheduler_->AddWorker(std::move(calls))) return kSpawnTooMany;
  IndexFuncs(*worker);
  worker_instances_.push_back(std::move(worker));
  return 0;
}

void InterpInstance::IndexExports() {
  const std::vector<wi::ExportDesc>& exports = module_->desc().exports;
  for (size_t i = 0; i < exports.size(); ++i) {
    const wi::ExportType& type = exports[i].type;
    wi::Ref ref = instance_->exports()[i];
    export_names_.insert(type.name);
    if (type.type->kind == wabt::ExternalKind::Func) {
      FuncSig sig = SigOf(static_cast<const wi::FuncType&>(*type.type));
      static_assert(host_abi::kExportWorkerMain.signature == host_abi::Signature{{host_abi::kI32}, {}});
      bool worker_entry = sig.params == std::vector<ValueType>{ValueType::kI32} && sig.results.empty();
      if (type.name == host_abi::kExportWorkerMain.name && worker_entry) worker_main_ = i;
      exports_[type.name] = {ref, std::move(sig)};
    } else if (type.type->kind == wabt::ExternalKind::Memory && (!memory_ || type.name == "memory")) {
      memory_ = store_->UnsafeGet<wi::Memory>(ref);
    }
  }
  if (!memory_ && !instance_->memories().empty()) {
    memory_ = store_->UnsafeGet<wi::Memory>(instance_->memories()[0]);
  }
  IndexFuncs(*instance_);
}

void InterpInstance::IndexFuncs(const wi::Instance& instance) {
  const wi::RefVec& funcs = instance.funcs();
  for (size_t i = 0; i < funcs.size(); ++i) func_index_[funcs[i].index] = static_cast<uint32_t>(i);
}

wabt::Result InterpInstance::OnHostCall(size_t provided, const wi::Values& params, wi::Values& results,
                                        wi::Trap::Ptr* out_trap) {
  const HostImport& import = imports_[provided];
  std::vector<Value> args;
  args.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) args.push_back(FromWabt(params[i], import.params[i]));
  std::vector<Value> outs(import.results.size());
  HostOutcome outcome = CallHost(import, *this, args, outs);
  if (outcome.trapped) {
    std::string message = outcome.trap.message;
    if (call_ != nullptr) call_->host_trap = std::move(outcome.trap);
    *out_trap = wi::Trap::New(*store_, message);
    return wabt::Result::Error;
  }
  for (size_t i = 0; i < outs.size(); ++i) results[i] = ToWabt(outs[i]);
  return wabt::Result::Ok;
}

CallOutcome InterpInstance::Call(const std::string& export_name, std::span<const Value> args) {
  auto found = exports_.find(export_name);
  if (found == exports_.end()) {
    return TrapOutcome(TrapKind::kHost, "the module exports no function named " + export_name);
  }
  const ExportFunc& func = found->second;
  if (std::string why = CheckCallArgs(export_name, func.sig, args); !why.empty()) {
    return TrapOutcome(TrapKind::kHost, why);
  }
  return Invoke("the call to " + export_name, func, args);
}

CallOutcome InterpInstance::Invoke(const std::string& what, const ExportFunc& func,
                                   std::span<const Value> args) {
  wi::Values params;
  for (const Value& arg : args) params.push_back(ToWabt(arg));
  CallState state;
  CallState* outer = std::exchange(call_, &state);
  // A fresh thread per call: a trap leaves a thread's stacks dirty, and a
  // host function may call back in.
  wi::Thread thread(*store_);
  wi::Values results;
  RunEnd end = Run(thread, func, params, results);
  call_ = outer;
  return OutcomeOf(what, func, thread, end, results, state);
}

RunEnd InterpInstance::Run(wi::Thread& thread, const ExportFunc& func, const wi::Values& params,
                           wi::Values& results) {
  RunEnd end;
  wi::Func::Ptr callee = store_->UnsafeGet<wi::Func>(func.ref);
  auto* defined = wabt::dyn_cast<wi::DefinedFunc>(callee.get());
  if (defined == nullptr) {  // a re-exported import: nothing to step through
    bool failed = wabt::Failed(callee->Call(thread, params, results, &end.trap));
    end.result = failed ? wi::RunResult::Trap : wi::RunResult::Return;
    return end;
  }
  wa::PushValues(thread, callee->type().params, params);
  end.result = wa::PushCall(thread, *defined, &end.trap);
  if (end.result == wi::RunResult::Trap) return end;
  end = scheduler_->Run(thread, options_.instruction_budget, options_.watchdog_ms, &executed_);
  if (end.result == wi::RunResult::Return) wa::PopValues(thread, callee->type().results, &results);
  return end;
}

CallOutcome InterpInstance::OutcomeOf(const std::string& what, const ExportFunc& func,
                                      const wi::Thread& thread, const RunEnd& end, const wi::Values& results,
                                      CallState& state) const {
  if (end.out_of_budget) {
    std::string limit = end.out_of_time ? "longer than " + std::to_string(options_.watchdog_ms) + " ms"
                                        : "more than " + std::to_string(options_.instruction_budget) + " instructions";
    return TrapOutcome(TrapKind::kWatchdog, what + " ran " + limit, StackOf(thread));
  }
  // A deadlocked app hangs like an infinite loop would, and the device's
  // watchdog would end it the same way: kWatchdog, not kOther.
  if (end.deadlock) {
    return TrapOutcome(TrapKind::kWatchdog,
                       "deadlock: every thread is waiting (in " + what + "), none can ever be woken",
                       StackOf(thread));
  }
  const wi::Thread& trapped = end.worker != nullptr ? *end.worker : thread;
  const std::string where = end.worker != nullptr ? "in a worker: " : "";
  if (end.result == wi::RunResult::Exception) {
    return TrapOutcome(TrapKind::kOther, where + "uncaught wasm exception", StackOf(trapped));
  }
  if (end.result == wi::RunResult::Trap) {
    CallOutcome outcome = TrapOf(trapped, end.trap, state);
    outcome.trap.message = where + outcome.trap.message;
    return outcome;
  }
  CallOutcome outcome;
  for (size_t i = 0; i < results.size(); ++i) {
    outcome.results.push_back(FromWabt(results[i], func.sig.results[i]));
  }
  return outcome;
}

// Steps the thread's next instruction, a memory.grow; when it fails past the
// device's cap, remembers it for the trap that may follow. A module built for
// the device declares the device's memory as its own maximum, so that limit
// counts too; only a module limit stricter than the device's is the app's own.
wi::RunResult InterpInstance::StepGrow(wi::Thread& thread, wi::Trap::Ptr* trap) {
  const wi::Frame& frame = wa::Frames(thread).back();
  const wi::Buffer& code = wa::IstreamBytes(frame.mod->desc().istream);
  uint32_t memory_index = 0;
  std::memcpy(&memory_index, code.data() + frame.offset + sizeof(wi::Istream::SerializedOpcode),
              sizeof(memory_index));
  wi::Memory::Ptr memory = store_->UnsafeGet<wi::Memory>(frame.inst->memories()[memory_index]);
  const wi::Value& top = wa::Values(thread).back();
  uint64_t delta = memory->type().limits.is_64 ? top.Get<wi::u64>() : top.Get<wi::u32>();
  uint64_t before = memory->PageSize();
  wi::RunResult result = wa::Step(thread, trap);
  bool failed = delta > 0 && memory->PageSize() == before;
  uint64_t declared_max =
      memory_index < declared_max_pages_.size() ? declared_max_pages_[memory_index] : UINT64_MAX;
  if (failed && call_ != nullptr && before + delta > cap_pages_ && declared_max >= cap_pages_) {
    call_->memory_limit_hit = true;
  }
  return result;
}

CallOutcome InterpInstance::TrapOf(const wi::Thread& thread, const wi::Trap::Ptr& trap,
                                   CallState& state) const {
  std::vector<uint32_t> stack = StackOf(thread);
  if (state.host_trap) {  // the host function's own trap, kind and all
    CallOutcome outcome;
    outcome.trapped = true;
    outcome.trap = std::move(*state.host_trap);
    outcome.trap.stack = std::move(stack);
    return outcome;
  }
  std::string message = trap ? trap->message() : "trap";
  TrapKind kind = KindOfTrap(message, *store_, thread);
  if (state.memory_limit_hit) {
    return TrapOutcome(TrapKind::kMemoryLimit, MemoryLimitMessage(options_, message), std::move(stack));
  }
  return TrapOutcome(kind, message, std::move(stack));
}

std::vector<uint32_t> InterpInstance::StackOf(const wi::Thread& thread) const {
  std::vector<uint32_t> stack;
  const std::vector<wi::Frame>& frames = wa::Frames(thread);
  for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame) {
    auto index = func_index_.find(frame->func.index);
    if (index != func_index_.end()) stack.push_back(index->second);
  }
  return stack;
}

std::vector<Value> InterpInstance::Globals() const {
  std::vector<Value> values;
  if (!instance_) return values;
  for (wi::Ref ref : instance_->globals()) {
    const wi::Global* global = store_->UnsafeGet<wi::Global>(ref).get();
    wi::Value v = global->Get();
    switch (global->type().type) {
      case wabt::Type::I32: values.push_back(Value::I32(v.Get<int32_t>())); break;
      case wabt::Type::I64: values.push_back(Value::I64(v.Get<int64_t>())); break;
      case wabt::Type::F32: values.push_back(Value::F32(v.Get<float>())); break;
      case wabt::Type::F64: values.push_back(Value::F64(v.Get<double>())); break;
      default: values.push_back(Value::I32(0)); break;
    }
  }
  return values;
}

std::span<uint8_t> InterpInstance::Memory() {
  if (!memory_) return {};
  return {memory_->UnsafeData(), static_cast<size_t>(memory_->ByteSize())};
}

class InterpEngine final : public Engine {
 public:
  const char* name() const override { return "interp"; }
  Result<std::unique_ptr<Instance>> Instantiate(std::span<const uint8_t> wasm,
                                                std::vector<HostImport> imports,
                                                const EngineOptions& options) override {
    auto instance = std::make_unique<InterpInstance>(std::move(imports), options);
    if (Status loaded = instance->Load(wasm); !loaded) return loaded.error();
    if (Status linked = instance->Link(); !linked) return linked.error();
    return std::unique_ptr<Instance>(std::move(instance));
  }
};

}  // namespace

std::unique_ptr<Engine> MakeInterpEngine() { return std::make_unique<InterpEngine>(); }

}  // namespace ws::host
