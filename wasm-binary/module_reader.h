// Reads the structure of a wasm binary: sections with their byte ranges,
// imports, exports, function bodies and names. Enough for checking modules
// against the host ABI, attributing every byte in size reports and naming
// functions in stack traces. Every length is bounds-checked: malformed or
// truncated input is an error value, never a crash.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws::wasm {

enum class SectionId : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4, kMemory = 5, kGlobal = 6,
  kExport = 7, kStart = 8, kElement = 9, kCode = 10, kData = 11, kDataCount = 12,
};

enum class ExternalKind : uint8_t { kFunction = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };

struct Section {
  SectionId id = SectionId::kCustom;
  std::string name;          // custom sections: their name
  uint32_t offset = 0;       // first byte of the section (its id)
  uint32_t size = 0;         // whole section, header included
  uint32_t payload_offset = 0;
  uint32_t payload_size = 0;
};

struct FuncType {
  std::vector<uint8_t> params;   // value type codes: 0x7F i32, 0x7E i64, 0x7D f32, 0x7C f64, 0x7B v128
  std::vector<uint8_t> results;
};

struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
  bool shared = false;
};

struct Import {
  std::string module;
  std::string name;
  ExternalKind kind = ExternalKind::kFunction;
  uint32_t type_index = 0;  // functions
  Limits limits;            // memories and tables
};

struct Export {
  std::string name;
  ExternalKind kind = ExternalKind::kFunction;
  uint32_t index = 0;
};

struct FunctionBody {
  uint32_t function_index = 0;  // in the function index space (imports first)
  uint32_t offset = 0;          // first byte of the body's size prefix
  uint32_t size = 0;            // prefix included
};

struct Module {
  std::vector<Section> sections;
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> function_types;  // type index of each defined function
  std::vector<Export> exports;
  std::vector<FunctionBody> bodies;
  std::vector<Limits> memories;          // defined memories
  std::map<uint32_t, std::string> function_names;  // from the "name" section
  uint32_t imported_functions = 0;
  uint64_t total_size = 0;

  const Export* FindExport(const std::string& name) const;
  // The type of a function in the index space, or nullptr.
  const FuncType* FunctionType(uint32_t function_index) const;
  // The module's memory limits, imported or defined.
  const Limits* Memory() const;
};

Result<Module> ReadModule(std::span<const uint8_t> bytes);

}  // namespace ws::wasm
