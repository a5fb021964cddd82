#include "wasm-binary/host_abi_check.h"

#include <algorithm>
#include <map>

namespace ws::wasm {
namespace {

constexpr uint8_t kI32 = 0x7F, kI64 = 0x7E, kF32 = 0x7D, kF64 = 0x7C;

struct Signature {
  std::vector<uint8_t> params, results;
};

const std::map<std::string, Signature>& RequiredExports() {
  static const std::map<std::string, Signature> exports = {
      {"_initialize", {{}, {}}},
      {"ws_abi_version", {{}, {kI32}}},
      {"ws_init", {{kI32, kI32}, {kI32}}},
      {"ws_frame", {{kF64}, {kI32}}},
      {"ws_input", {{kI32, kI32}, {kI32}}},
      {"ws_fetch_done", {{kI32, kI32, kI32, kI32}, {}}},
      {"ws_alloc", {{kI32}, {kI32}}},
      {"ws_free", {{kI32}, {}}},
  };
  return exports;
}

// Imports a module may have; ws_host's signatures are fixed, WASI's come from wasi-libc.
const std::map<std::string, Signature>& HostImports() {
  static const std::map<std::string, Signature> imports = {
      {"submit", {{kI32, kI32}, {}}},
      {"measure_text", {{kI32, kI32, kF32}, {kI64}}},
      {"fetch", {{kI32, kI32}, {kI32}}},
      {"log", {{kI32, kI32, kI32}, {}}},
      {"now_ms", {{}, {kF64}}},
      {"spawn_worker", {{kI32}, {kI32}}},
  };
  return imports;
}

bool AllowedWasi(const std::string& name) {
  static const char* kNames[] = {"fd_write",       "clock_time_get",    "random_get", "proc_exit",
                                 "args_sizes_get", "args_get", "environ_sizes_get", "environ_get"};
  for (const char* allowed : kNames) {
    if (name == allowed) return true;
  }
  return false;
}

bool Matches(const FuncType* type, const Signature& sig) {
  return type != nullptr && type->params == sig.params && type->results == sig.results;
}

const char* TypeName(uint8_t code) {
  switch (code) {
    case kI32: return "i32";
    case kI64: return "i64";
    case kF32: return "f32";
    case kF64: return "f64";
    case 0x7B: return "v128";
    default: return "?";
  }
}

std::string Text(const std::vector<uint8_t>& params, const std::vector<uint8_t>& results) {
  std::string out = "(";
  for (size_t i = 0; i < params.size(); ++i) out += std::string(i ? ", " : "") + TypeName(params[i]);
  out += ") -> ";
  if (results.empty()) return out + "()";
  for (size_t i = 0; i < results.size(); ++i) out += std::string(i ? ", " : "") + TypeName(results[i]);
  return out;
}

void CheckImport(const Module& m, const Import& imp, uint32_t function_index, AbiCheck& check) {
  std::string full = imp.module + "." + imp.name;
  if (imp.kind == ExternalKind::kMemory && imp.module == "env" && imp.name == "memory") return;  // threads
  if (imp.kind != ExternalKind::kFunction) {
    check.forbidden_imports.push_back(full);
    return;
  }
  if (imp.module == "wasi_snapshot_preview1") {
    if (!AllowedWasi(imp.name)) check.forbidden_imports.push_back(full);
    return;
  }
  auto host = HostImports().find(imp.name);
  if (imp.module != "ws_host" || host == HostImports().end()) {
    check.forbidden_imports.push_back(full);
    return;
  }
  const FuncType* type = m.FunctionType(function_index);
  if (!Matches(type, host->second)) {
    check.wrong_imports.push_back(full + ": expected " + Text(host->second.params, host->second.results) +
                                  ", found " + (type ? SignatureText(*type) : "no type"));
  }
}

}  // namespace

std::string SignatureText(const FuncType& type) { return Text(type.params, type.results); }

AbiCheck CheckHostAbi(const Module& m) {
  AbiCheck check;
  for (const auto& [name, sig] : RequiredExports()) {
    const Export* e = m.FindExport(name);
    if (e == nullptr || e->kind != ExternalKind::kFunction) {
      check.missing_exports.push_back(name + " " + Text(sig.params, sig.results));
      continue;
    }
    const FuncType* type = m.FunctionType(e->index);
    if (!Matches(type, sig)) {
      check.wrong_exports.push_back(name + ": expected " + Text(sig.params, sig.results) + ", found " +
                                    (type ? SignatureText(*type) : "no type"));
    }
  }
  // The threads variant imports its (shared) memory instead of defining it.
  const Export* memory = m.FindExport("memory");
  bool imports_memory = std::any_of(m.imports.begin(), m.imports.end(), [](const Import& i) {
    return i.kind == ExternalKind::kMemory && i.module == "env" && i.name == "memory";
  });
  if (!imports_memory && (memory == nullptr || memory->kind != ExternalKind::kMemory)) {
    check.missing_exports.push_back("memory");
  }
  uint32_t function_index = 0;
  for (const Import& imp : m.imports) {
    CheckImport(m, imp, function_index, check);
    if (imp.kind == ExternalKind::kFunction) ++function_index;
  }
  return check;
}

std::vector<std::string> AbiCheck::Messages() const {
  std::vector<std::string> out;
  for (const std::string& e : missing_exports) out.push_back("missing export " + e);
  for (const std::string& e : wrong_exports) out.push_back("export " + e);
  for (const std::string& i : forbidden_imports) {
    out.push_back("imports " + i + ", which the host ABI does not allow");
  }
  for (const std::string& i : wrong_imports) out.push_back("import " + i);
  return out;
}

}  // namespace ws::wasm
