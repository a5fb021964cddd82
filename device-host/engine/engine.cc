#include "device-host/engine/engine.h"

#include "device-host/engine/engine_common.h"

#include <exception>

namespace ws::host {

const char* TrapKindName(TrapKind kind) {
  switch (kind) {
    case TrapKind::kUnreachable: return "unreachable";
    case TrapKind::kOutOfBounds: return "out-of-bounds";
    case TrapKind::kStackExhausted: return "stack-exhausted";
    case TrapKind::kIntegerDivide: return "integer-divide";
    case TrapKind::kConversion: return "conversion";
    case TrapKind::kIndirectCall: return "indirect-call";
    case TrapKind::kMemoryLimit: return "memory-limit";
    case TrapKind::kWatchdog: return "watchdog";
    case TrapKind::kExit: return "exit";
    case TrapKind::kHost: return "host";
    case TrapKind::kOther: return "other";
  }
  return "other";
}

const char* ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kI32: return "i32";
    case ValueType::kI64: return "i64";
    case ValueType::kF32: return "f32";
    case ValueType::kF64: return "f64";
  }
  return "?";
}

namespace {

std::string TypeList(std::span<const ValueType> types) {
  std::string text = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) text += ", ";
    text += ValueTypeName(types[i]);
  }
  return text + ")";
}

const HostImport* FindImport(const std::vector<HostImport>& provided, const ImportRequest& want,
                             size_t* index) {
  for (size_t i = 0; i < provided.size(); ++i) {
    if (provided[i].module == want.module && provided[i].name == want.name) {
      *index = i;
      return &provided[i];
    }
  }
  return nullptr;
}

Result<size_t> MatchOne(const ImportRequest& want, const std::vector<HostImport>& provided) {
  std::string what = "import " + want.module + "." + want.name;
  if (!want.is_function) {
    return Error{what + ": the module imports a " + want.kind_name + "; the host provides only functions"};
  }
  size_t index = 0;
  const HostImport* have = FindImport(provided, want, &index);
  if (have == nullptr) return Error{what + ": the host does not provide it"};
  if (!want.sig.representable) {
    return Error{what + ": its signature uses types the host cannot pass (v128 or references)"};
  }
  if (have->params != want.sig.params || have->results != want.sig.results) {
    return Error{what + ": the module declares " + SignatureText(want.sig.params, want.sig.results) +
                 " but the host provides " + SignatureText(have->params, have->results)};
  }
  if (!have->fn) return Error{what + ": the host function is empty"};
  return index;
}

}  // namespace

std::string SignatureText(std::span<const ValueType> params, std::span<const ValueType> results) {
  return TypeList(params) + " -> " + TypeList(results);
}

Result<std::vector<size_t>> MatchImports(const std::vector<ImportRequest>& wanted,
                                         const std::vector<HostImport>& provided) {
  std::vector<size_t> indices;
  indices.reserve(wanted.size());
  for (const ImportRequest& want : wanted) {
    Result<size_t> index = MatchOne(want, provided);
    if (!index) return index.error();
    indices.push_back(*index);
  }
  return indices;
}

std::string CheckCallArgs(const std::string& export_name, const FuncSig& sig, std::span<const Value> args) {
  if (!sig.representable) {
    return "export " + export_name + " uses types the host cannot pass (v128 or references)";
  }
  bool match = args.size() == sig.params.size();
  for (size_t i = 0; match && i < args.size(); ++i) match = args[i].type == sig.params[i];
  if (match) return "";
  std::vector<ValueType> given;
  for (const Value& arg : args) given.push_back(arg.type);
  return "export " + export_name + " takes " + TypeList(sig.params) + ", called with " + TypeList(given);
}

CallOutcome TrapOutcome(TrapKind kind, std::string message, std::vector<uint32_t> stack) {
  CallOutcome outcome;
  outcome.trapped = true;
  outcome.trap.kind = kind;
  outcome.trap.message = std::move(message);
  outcome.trap.stack = std::move(stack);
  return outcome;
}

HostOutcome CallHost(const HostImport& import, Instance& instance, std::span<const Value> args,
                     std::span<Value> results) {
  for (size_t i = 0; i < results.size(); ++i) {
    results[i] = Value{};
    results[i].type = import.results[i];
  }
  HostOutcome outcome;
  try {
    outcome = import.fn(instance, args, results);
  } catch (const std::exception& e) {
    return HostOutcome::Fail(TrapKind::kHost, import.module + "." + import.name + " threw: " + e.what());
  } catch (...) {
    return HostOutcome::Fail(TrapKind::kHost, import.module + "." + import.name + " threw");
  }
  // The declared types win over a careless function.
  for (size_t i = 0; i < results.size(); ++i) results[i].type = import.results[i];
  return outcome;
}

uint64_t MemoryCapPages(const EngineOptions& options) {
  if (options.max_memory_bytes == 0) return 0;
  // A cap below one page still lets a module with a zero-page memory load.
  return options.max_memory_bytes / kWasmPageSize;
}

Status CheckInitialMemory(uint64_t initial_pages, const EngineOptions& options) {
  if (options.max_memory_bytes == 0 || initial_pages <= MemoryCapPages(options)) return {};
  return Error{"the module needs " + std::to_string(initial_pages * kWasmPageSize) +
               " bytes of memory at start, more than the device allows (" +
               std::to_string(options.max_memory_bytes) + " bytes)"};
}

std::string MemoryLimitMessage(const EngineOptions& options, const std::string& trap_message) {
  return "the app needed more memory than the device allows (" + std::to_string(options.max_memory_bytes) +
         " bytes); then: " + trap_message;
}

}  // namespace ws::host
