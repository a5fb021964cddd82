// The interp engine: wabt 1.0.32's interpreter, in-process. Calls run one
// instruction at a time through wabt_access.h, so that the instruction
// budget (the watchdog of the low-end device) is exact and an infinite loop
// always returns.
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "device-host/engine.h"
#include "device-host/engine_common.h"
#include "device-host/wabt_access.h"
#include "device-host/wasm_module_info.h"
#include "wabt/binary-reader.h"
#include "wabt/interp/binary-reader-interp.h"
#include "wabt/interp/interp.h"

namespace ws::host {
namespace {

namespace wi = wabt::interp;
namespace wa = wabt_access;

FuncSig SigOf(const wi::FuncType& type) {
  FuncSig sig;
  auto convert = [&sig](const wi::ValueTypes& from, std::vector<ValueType>* to) {
    for (wabt::Type t : from) {
      ValueType v{};
      sig.representable = sig.representable && HostValueType(t, &v);
      to->push_back(v);
    }
  };
  convert(type.params, &sig.params);
  convert(type.results, &sig.results);
  return sig;
}

wi::Value ToWabt(const Value& v) {
  switch (v.type) {
    case ValueType::kI32: return wi::Value::Make(static_cast<wi::s32>(v.i32));
    case ValueType::kI64: return wi::Value::Make(static_cast<wi::s64>(v.i64));
    case ValueType::kF32: return wi::Value::Make(v.f32);
    case ValueType::kF64: return wi::Value::Make(v.f64);
  }
  return {};
}

Value FromWabt(const wi::Value& v, ValueType type) {
  switch (type) {
    case ValueType::kI32: return Value::I32(v.Get<wi::s32>());
    case ValueType::kI64: return Value::I64(v.Get<wi::s64>());
    case ValueType::kF32: return Value::F32(v.Get<wi::f32>());
    case ValueType::kF64: return Value::F64(v.Get<wi::f64>());
  }
  return {};
}

ImportRequest RequestOf(const wi::ImportDesc& import) {
  ImportRequest request{import.type.module, import.type.name, true, "function", {}};
  const wi::ExternType& type = *import.type.type;
  request.is_function = type.kind == wabt::ExternalKind::Func;
  request.kind_name = wabt::GetKindName(type.kind);
  if (request.is_function) request.sig = SigOf(static_cast<const wi::FuncType&>(type));
  return request;
}

// The opcode of the instruction that just trapped: the top frame's offset
// is already past it, so decode the function from its start.
wabt::Opcode TrappingOpcode(wi::Store& store, const wi::Thread& thread) {
  const std::vector<wi::Frame>& frames = wa::Frames(thread);
  if (frames.empty() || frames.back().mod == nullptr) return wabt::Opcode::Invalid;
  const wi::Frame& frame = frames.back();
  wi::DefinedFunc::Ptr func = store.UnsafeGet<wi::DefinedFunc>(frame.func);
  const wi::Istream& istream = frame.mod->desc().istream;
  wabt::Opcode last = wabt::Opcode::Invalid;
  for (wi::Istream::Offset at = func->desc().code_offset; at < frame.offset;) {
    last = istream.Read(&at).op;
  }
  return last;
}

bool Contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

template <typename OpcodeFn>
TrapKind KindOfTrap(const std::string& message, OpcodeFn trapping_opcode) {
  if (Contains(message, "unreachable")) return TrapKind::kUnreachable;
  if (Contains(message, "out of bounds")) return TrapKind::kOutOfBounds;
  if (Contains(message, "exhausted")) return TrapKind::kStackExhausted;
  if (Contains(message, "divide by zero")) return TrapKind::kIntegerDivide;
  if (Contains(message, "invalid conversion")) return TrapKind::kConversion;
  // wabt says "integer overflow" both for INT_MIN / -1 and for a float
  // truncation out of range; the instruction tells them apart.
  if (Contains(message, "integer overflow")) {
    return Contains(trapping_opcode().GetName(), "div") ? TrapKind::kIntegerDivide : TrapKind::kConversion;
  }
  if (Contains(message, "indirect call") || Contains(message, "table index") ||
      Contains(message, "uninitialized table element")) {
    return TrapKind::kIndirectCall;
  }
  return TrapKind::kOther;
}

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

 private:
  wabt::Result OnHostCall(size_t provided, const wi::Values& params, wi::Values& results,
                          wi::Trap::Ptr* out_trap);
  Status CapMemories(wi::ModuleDesc& desc);
  void IndexExports();
  wi::RunResult Run(wi::Thread& thread, const ExportFunc& func, const wi::Values& params, wi::Values& results,
                    wi::Trap::Ptr* trap, bool* out_of_budget);
  wi::RunResult RunSteps(wi::Thread& thread, wi::Trap::Ptr* trap, bool* out_of_budget);
  wi::RunResult StepWatchingGrow(wi::Thread& thread, wi::Trap::Ptr* trap);
  CallOutcome Invoke(const std::string& what, const ExportFunc& func, std::span<const Value> args);
  CallOutcome TrapOf(const wi::Thread& thread, const wi::Trap::Ptr& trap, CallState& state) const;
  std::vector<uint32_t> StackOf(const wi::Thread& thread) const;

  // The store owns every wabt object; it is declared first so that it is
  // destroyed last.
  std::unique_ptr<wi::Store> store_;
  wi::Module::Ptr module_;
  wi::Instance::Ptr instance_;
  std::vector<wi::HostFunc::Ptr> host_funcs_;
  wi::Memory::Ptr memory_;
  std::vector<HostImport> imports_;
  EngineOptions options_;
  uint64_t cap_pages_ = 0;
  std::vector<uint64_t> declared_max_pages_;  // per memory, before the cap
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
  // budget; Link() runs it like any call instead.
  if (!desc.starts.empty()) start_func_ = desc.starts.front().func_index;
  desc.starts.clear();
  module_ = wi::Module::New(*store_, std::move(desc));
  return {};
}

// Lowers each memory's maximum to the device's cap, so that memory.grow
// beyond it fails and the app sees an allocation failure.
Status InterpInstance::CapMemories(wi::ModuleDesc& desc) {
  for (wi::MemoryDesc& memory : desc.memories) {
    wabt::Limits& limits = memory.type.limits;
    declared_max_pages_.push_back(limits.has_max ? limits.max : UINT64_MAX);
    if (Status fits = CheckInitialMemory(limits.initial, options_); !fits) return fits;
    if (cap_pages_ == 0 || (limits.has_max && limits.max <= cap_pages_)) continue;
    limits.has_max = true;
    limits.max = cap_pages_;
  }
  return {};
}

Status InterpInstance::Link() {
  std::vector<ImportRequest> wanted;
  for (const wi::ImportDesc& import : module_->desc().imports) wanted.push_back(RequestOf(import));
  Result<std::vector<size_t>> matched = MatchImports(wanted, imports_);
  if (!matched) return matched.error();
  wi::RefVec refs;
  for (size_t i = 0; i < wanted.size(); ++i) {
    size_t provided = (*matched)[i];
    const auto& type = static_cast<const wi::FuncType&>(*module_->desc().imports[i].type.type);
    host_funcs_.push_back(wi::HostFunc::New(*store_, type,
                                            [this, provided](wi::Thread&, const wi::Values& params,
                                                             wi::Values& results, wi::Trap::Ptr* out_trap) {
                                              return OnHostCall(provided, params, results, out_trap);
                                            }));
    refs.push_back(host_funcs_.back().ref());
  }
  CallState state;  // a start function may call the host
  call_ = &state;
  wi::Trap::Ptr trap;
  instance_ = wi::Instance::Instantiate(*store_, module_.ref(), refs, &trap);
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

void InterpInstance::IndexExports() {
  const std::vector<wi::ExportDesc>& exports = module_->desc().exports;
  for (size_t i = 0; i < exports.size(); ++i) {
    const wi::ExportType& type = exports[i].type;
    wi::Ref ref = instance_->exports()[i];
    export_names_.insert(type.name);
    if (type.type->kind == wabt::ExternalKind::Func) {
      exports_[type.name] = {ref, SigOf(static_cast<const wi::FuncType&>(*type.type))};
    } else if (type.type->kind == wabt::ExternalKind::Memory && (!memory_ || type.name == "memory")) {
      memory_ = store_->UnsafeGet<wi::Memory>(ref);
    }
  }
  if (!memory_ && !instance_->memories().empty()) {
    memory_ = store_->UnsafeGet<wi::Memory>(instance_->memories()[0]);
  }
  const wi::RefVec& funcs = instance_->funcs();
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
  wi::Trap::Ptr trap;
  bool out_of_budget = false;
  wi::RunResult result = Run(thread, func, params, results, &trap, &out_of_budget);
  call_ = outer;

  if (out_of_budget) {
    return TrapOutcome(
        TrapKind::kWatchdog,
        what + " ran more than " + std::to_string(options_.instruction_budget) + " instructions",
        StackOf(thread));
  }
  if (result == wi::RunResult::Exception) {
    return TrapOutcome(TrapKind::kOther, "uncaught wasm exception", StackOf(thread));
  }
  if (result == wi::RunResult::Trap) return TrapOf(thread, trap, state);
  CallOutcome outcome;
  for (size_t i = 0; i < results.size(); ++i) {
    outcome.results.push_back(FromWabt(results[i], func.sig.results[i]));
  }
  return outcome;
}

wi::RunResult InterpInstance::Run(wi::Thread& thread, const ExportFunc& func, const wi::Values& params,
                                  wi::Values& results, wi::Trap::Ptr* trap, bool* out_of_budget) {
  wi::Func::Ptr callee = store_->UnsafeGet<wi::Func>(func.ref);
  auto* defined = wabt::dyn_cast<wi::DefinedFunc>(callee.get());
  if (defined == nullptr) {  // a re-exported import: nothing to step through
    return wabt::Failed(callee->Call(thread, params, results, trap)) ? wi::RunResult::Trap
                                                                     : wi::RunResult::Return;
  }
  wa::PushValues(thread, callee->type().params, params);
  wi::RunResult result = wa::PushCall(thread, *defined, trap);
  if (result == wi::RunResult::Trap) return result;
  result = RunSteps(thread, trap, out_of_budget);
  if (result == wi::RunResult::Return) wa::PopValues(thread, callee->type().results, &results);
  return result;
}

wi::RunResult InterpInstance::RunSteps(wi::Thread& thread, wi::Trap::Ptr* trap, bool* out_of_budget) {
  const uint64_t budget = options_.instruction_budget;
  // Watching memory.grow costs a peek per instruction; only a cap needs it.
  const bool watch_grow = cap_pages_ != 0;
  uint64_t steps = 0;
  wi::RunResult result = wi::RunResult::Ok;
  while (result == wi::RunResult::Ok) {
    if (budget != 0 && steps >= budget) {
      *out_of_budget = true;
      break;
    }
    result = watch_grow ? StepWatchingGrow(thread, trap) : wa::Step(thread, trap);
    ++steps;
  }
  executed_ += steps;
  return result;
}

// One step; when it is a memory.grow that fails because of the device's cap
// (not the module's own limit), remembers it for the trap that may follow.
wi::RunResult InterpInstance::StepWatchingGrow(wi::Thread& thread, wi::Trap::Ptr* trap) {
  const wi::Frame& frame = wa::Frames(thread).back();
  const wi::Buffer& code = wa::IstreamBytes(frame.mod->desc().istream);
  wi::Istream::SerializedOpcode op = 0;
  std::memcpy(&op, code.data() + frame.offset, sizeof(op));
  if (op != wabt::Opcode::MemoryGrow) return wa::Step(thread, trap);

  uint32_t memory_index = 0;
  std::memcpy(&memory_index, code.data() + frame.offset + sizeof(op), sizeof(memory_index));
  wi::Memory::Ptr memory = store_->UnsafeGet<wi::Memory>(frame.inst->memories()[memory_index]);
  const wi::Value& top = wa::Values(thread).back();
  uint64_t delta = memory->type().limits.is_64 ? top.Get<wi::u64>() : top.Get<wi::u32>();
  uint64_t before = memory->PageSize();
  wi::RunResult result = wa::Step(thread, trap);
  bool failed = delta > 0 && memory->PageSize() == before;
  uint64_t declared_max =
      memory_index < declared_max_pages_.size() ? declared_max_pages_[memory_index] : UINT64_MAX;
  if (failed && call_ != nullptr && before + delta > cap_pages_ && before + delta <= declared_max) {
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
  TrapKind kind = KindOfTrap(message, [&] { return TrappingOpcode(*store_, thread); });
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
