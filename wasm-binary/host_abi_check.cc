#include "wasm-binary/host_abi_check.h"

#include <algorithm>
#include <map>

#include "host-abi/host_abi.h"

namespace ws::wasm {
namespace {

// The type codes of `types` as the binary format writes them.
std::vector<uint8_t> Codes(const host_abi::ValTypes& types) {
  std::vector<uint8_t> codes;
  for (host_abi::ValType type : types) codes.push_back(static_cast<uint8_t>(type));
  return codes;
}

struct Signature {
  std::vector<uint8_t> params, results;
};

Signature CodesOf(const host_abi::Signature& sig) { return {Codes(sig.params), Codes(sig.results)}; }

// The exports every module must have, in name order (messages list them so).
std::map<std::string, Signature> RequiredExports() {
  std::map<std::string, Signature> exports;
  for (const host_abi::Export& e : host_abi::kExports) {
    if (e.need == host_abi::Need::kAlways) exports.emplace(std::string(e.name), CodesOf(e.signature));
  }
  return exports;
}

bool IsSharedMemory(const Import& imp) {
  return imp.kind == ExternalKind::kMemory && imp.module == host_abi::kSharedMemoryModule &&
         imp.name == host_abi::kSharedMemoryName;
}

bool Matches(const FuncType* type, const Signature& sig) {
  return type != nullptr && type->params == sig.params && type->results == sig.results;
}

const char* TypeName(uint8_t code) {
  switch (code) {
    case static_cast<uint8_t>(host_abi::kI32): return "i32";
    case static_cast<uint8_t>(host_abi::kI64): return "i64";
    case static_cast<uint8_t>(host_abi::kF32): return "f32";
    case static_cast<uint8_t>(host_abi::kF64): return "f64";
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
  if (IsSharedMemory(imp)) return;  // threads
  const host_abi::Import* allowed = imp.kind == ExternalKind::kFunction ? host_abi::FindImport(imp.module, imp.name) : nullptr;
  if (allowed == nullptr) {
    check.forbidden_imports.push_back(full);
    return;
  }
  if (allowed->module == host_abi::kWasiModule) return;  // wasi-libc fixes these signatures
  Signature host = CodesOf(allowed->signature);
  const FuncType* type = m.FunctionType(function_index);
  if (!Matches(type, host)) {
    check.wrong_imports.push_back(full + ": expected " + Text(host.params, host.results) + ", found " +
                                  (type ? SignatureText(*type) : "no type"));
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
  // Optional exports (the threads variant's, the hot reload extension) need
  // not be there, but one that is must have its signature: a host calls it.
  for (const host_abi::Export& optional : host_abi::kExports) {
    if (optional.need == host_abi::Need::kAlways) continue;
    const Export* e = m.FindExport(std::string(optional.name));
    if (e == nullptr || e->kind != ExternalKind::kFunction) continue;
    Signature sig = CodesOf(optional.signature);
    const FuncType* type = m.FunctionType(e->index);
    if (!Matches(type, sig)) {
      check.wrong_exports.push_back(std::string(optional.name) + ": expected " + Text(sig.params, sig.results) +
                                    ", found " + (type ? SignatureText(*type) : "no type"));
    }
  }
  // The threads variant imports its (shared) memory instead of defining it.
  const Export* memory = m.FindExport(std::string(host_abi::kMemoryExport));
  bool imports_memory = std::any_of(m.imports.begin(), m.imports.end(), IsSharedMemory);
  if (!imports_memory && (memory == nullptr || memory->kind != ExternalKind::kMemory)) {
    check.missing_exports.push_back(std::string(host_abi::kMemoryExport));
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
