#include "device-host/engine/aot_glue.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <utility>

#include "device-host/engine/aot_glue_runtime.h"

namespace ws::host {
namespace {

const char* CType(ValueType type) {
  switch (type) {
    case ValueType::kI32: return "u32";
    case ValueType::kI64: return "u64";
    case ValueType::kF32: return "f32";
    case ValueType::kF64: return "f64";
  }
  return "u32";
}

// wasm2c names multi-value structs and their fields by these letters.
char MultiLetter(ValueType type) {
  switch (type) {
    case ValueType::kI32: return 'i';
    case ValueType::kI64: return 'j';
    case ValueType::kF32: return 'f';
    case ValueType::kF64: return 'd';
  }
  return 'i';
}

std::string ToBits(ValueType type, const std::string& expr) {
  switch (type) {
    case ValueType::kI32: return "(uint64_t)(u32)(" + expr + ")";
    case ValueType::kI64: return "(uint64_t)(" + expr + ")";
    case ValueType::kF32: return "ws_f32_bits(" + expr + ")";
    case ValueType::kF64: return "ws_f64_bits(" + expr + ")";
  }
  return expr;
}

std::string FromBits(ValueType type, const std::string& expr) {
  switch (type) {
    case ValueType::kI32: return "(u32)(" + expr + ")";
    case ValueType::kI64: return "(u64)(" + expr + ")";
    case ValueType::kF32: return "ws_bits_f32(" + expr + ")";
    case ValueType::kF64: return "ws_bits_f64(" + expr + ")";
  }
  return expr;
}

std::string ReturnType(const FuncSig& sig) {
  if (sig.results.empty()) return "void";
  if (sig.results.size() == 1) return CType(sig.results[0]);
  std::string name = "struct wasm_multi_";
  for (ValueType type : sig.results) name += MultiLetter(type);
  return name;
}

std::string MultiField(const FuncSig& sig, size_t i) {
  return MultiLetter(sig.results[i]) + std::to_string(i);
}

// `r[i] = <bits of result i>` for a call whose value is in `v`.
std::string StoreResults(const FuncSig& sig, const std::string& indent) {
  std::string out;
  for (size_t i = 0; i < sig.results.size(); ++i) {
    std::string value = sig.results.size() == 1 ? "v" : "v." + MultiField(sig, i);
    out += indent + "r[" + std::to_string(i) + "] = " + ToBits(sig.results[i], value) + ";\n";
  }
  return out;
}

std::string ImportSymbol(const ImportRequest& import) {
  return "Z_" + W2cMangle(import.module) + "Z_" + W2cMangle(import.name);
}

std::string ExportSymbol(const ExportInfo& e) {
  return std::string("Z_") + kAotModuleName + "Z_" + W2cMangle(e.name);
}

std::string ImportTrampoline(const ImportRequest& import, size_t index) {
  const FuncSig& sig = import.sig;
  std::string ret = ReturnType(sig);
  std::string text =
      ret + " " + ImportSymbol(import) + "(struct Z_" + W2cMangle(import.module) + "_instance_t* self";
  std::string args;
  for (size_t i = 0; i < sig.params.size(); ++i) {
    std::string name = "a" + std::to_string(i);
    text += std::string(", ") + CType(sig.params[i]) + " " + name;
    args += (i > 0 ? ", " : "") + ToBits(sig.params[i], name);
  }
  text += ") {\n  uint64_t args[" + std::to_string(std::max<size_t>(sig.params.size(), 1)) + "] = {" +
          (args.empty() ? "0" : args) + "};\n";
  text += "  uint64_t res[" + std::to_string(std::max<size_t>(sig.results.size(), 1)) + "] = {0};\n";
  text += "  ws_dispatch(self, " + std::to_string(index) + "u, args, res);\n";
  if (sig.results.size() == 1) {
    text += "  return " + FromBits(sig.results[0], "res[0]") + ";\n";
  } else if (sig.results.size() > 1) {
    text += "  " + ret + " v;\n";
    for (size_t i = 0; i < sig.results.size(); ++i) {
      text += "  v." + MultiField(sig, i) + " = " +
              FromBits(sig.results[i], "res[" + std::to_string(i) + "]") + ";\n";
    }
    text += "  return v;\n";
  }
  return text + "}\n\n";
}

std::string ExportCase(const ExportInfo& e, size_t index) {
  std::string call = ExportSymbol(e) + "(in";
  for (size_t i = 0; i < e.sig.params.size(); ++i) {
    call += ", " + FromBits(e.sig.params[i], "a[" + std::to_string(i) + "]");
  }
  call += ")";
  std::string text = "    case " + std::to_string(index) + "u: {\n";
  if (e.sig.results.empty()) {
    text += "      " + call + ";\n";
  } else {
    text += "      " + ReturnType(e.sig) + " v = " + call + ";\n" + StoreResults(e.sig, "      ");
  }
  return text + "      break;\n    }\n";
}

// The first wasm_rt_memory_t member of the instance struct: memory 0,
// exported or not.
std::string MemoryMember(std::string_view header) {
  std::string open = std::string("typedef struct Z_") + kAotModuleName + "_instance_t {";
  size_t begin = header.find(open);
  size_t end = header.find("}", begin);
  if (begin == std::string_view::npos || end == std::string_view::npos) return "";
  std::string_view body = header.substr(begin, end - begin);
  const std::string_view kField = "wasm_rt_memory_t ";
  size_t at = body.find(kField);
  if (at == std::string_view::npos) return "";
  size_t name_end = body.find(';', at);
  return std::string(body.substr(at + kField.size(), name_end - at - kField.size()));
}

// How many import-module instance pointers Z_ws_app_instantiate takes.
int InstantiateModuleParams(std::string_view header) {
  std::string head = std::string("void Z_") + kAotModuleName + "_instantiate(";
  size_t begin = header.find(head);
  if (begin == std::string_view::npos) return -1;
  std::string_view line = header.substr(begin, header.find('\n', begin) - begin);
  int count = 0;
  for (size_t at = line.find("struct "); at != std::string_view::npos; at = line.find("struct ", at + 1)) {
    ++count;
  }
  return count;
}

std::string Prefix(const std::string& memory_member, int module_params) {
  std::string m = kAotModuleName;
  std::string text = "/* wasmship aot glue: generated, do not edit. */\n";
  text += "#define WS_GLUE_VERSION \"" + std::string(kGlueVersion) + "\"\n";
  text += "#include \"module.h\"\n";
  text += "#define WS_INSTANCE Z_" + m + "_instance_t\n";
  text += memory_member.empty() ? "#define WS_MEMORY(inst) ((void)(inst), (wasm_rt_memory_t*)0)\n"
                                : "#define WS_MEMORY(inst) (&(inst)->" + memory_member + ")\n";
  text += "#define WS_INSTANTIATE(inst, ctx) Z_" + m + "_instantiate((inst)";
  for (int i = 0; i < module_params; ++i) text += ", (void*)(ctx)";
  text += ")\n#define WS_FREE(inst) Z_" + m + "_free(inst)\n";
  text += "#define WS_INIT_MODULE() Z_" + m + "_init_module()\n";
  text += "#define WS_TRAP_HOST " + std::to_string(kGlueTrapHost) + "\n";
  text += "#define WS_TRAP_WATCHDOG " + std::to_string(kGlueTrapWatchdog) + "\n";
  text += "#define WS_TRAP_OUT_OF_MEMORY " + std::to_string(kGlueTrapOutOfMemory) + "\n";
  return text;
}

Status CheckDeclared(std::string_view header, const std::string& symbol) {
  if (header.find(symbol + "(") != std::string_view::npos) return {};
  return Error{"wasm2c's output does not declare " + symbol + " as expected"};
}

}  // namespace

std::string W2cMangle(std::string_view name) {
  std::string out;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x80 && std::isalnum(byte) && c != 'Z') || c == '_') {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%02X", byte);
      out += 'Z';
      out += hex;
    }
  }
  return out;
}

std::vector<const ExportInfo*> GlueExports(const WasmModuleInfo& info) {
  std::vector<const ExportInfo*> exports;
  for (const ExportInfo& e : info.exports) {
    if (e.is_function && e.sig.representable) exports.push_back(&e);
  }
  return exports;
}

Result<std::string> GenerateGlue(const WasmModuleInfo& info, std::string_view w2c_header) {
  std::string memory_member = MemoryMember(w2c_header);
  if (info.memory.present && memory_member.empty()) {
    return Error{"wasm2c's output has no memory member in its instance struct"};
  }
  int module_params = InstantiateModuleParams(w2c_header);
  if (module_params < 0) return Error{"wasm2c's output has no instantiate function"};

  std::string text = Prefix(memory_member, module_params);
  text += GlueRuntimeSource();
  text += "\n/* Imports: each forwards to the host's dispatch function. */\n";
  std::map<std::pair<std::string, std::string>, bool> defined;
  for (size_t i = 0; i < info.imports.size(); ++i) {
    const ImportRequest& import = info.imports[i];
    // A field imported twice is one C function; the host maps both alike.
    if (!defined.emplace(std::make_pair(import.module, import.name), true).second) continue;
    if (Status declared = CheckDeclared(w2c_header, ImportSymbol(import)); !declared) {
      return declared.error();
    }
    text += ImportTrampoline(import, i);
  }
  text += "/* Exports, by thunk index. */\n";
  text += "static void ws_call_export(WS_INSTANCE* in, uint32_t index, const uint64_t* a, uint64_t* r) {\n";
  text += "  (void)in; (void)a; (void)r;\n  switch (index) {\n";
  std::vector<const ExportInfo*> exports = GlueExports(info);
  for (size_t i = 0; i < exports.size(); ++i) {
    if (Status declared = CheckDeclared(w2c_header, ExportSymbol(*exports[i])); !declared) {
      return declared.error();
    }
    text += ExportCase(*exports[i], i);
  }
  text += "    default: break;\n  }\n}\n";
  return text;
}

void DistinguishDivisionOverflow(std::string& w2c_source) {
  size_t define = w2c_source.find("#define DIV_S(");
  if (define == std::string::npos) return;
  size_t next_define = w2c_source.find("#define", define + 1);
  const std::string kOverflow = "TRAP(INT_OVERFLOW)";
  size_t at = w2c_source.find(kOverflow, define);
  if (at == std::string::npos || at > next_define) return;
  w2c_source.replace(at, kOverflow.size(), "WS_TRAP_DIV_OVERFLOW");
}

}  // namespace ws::host
