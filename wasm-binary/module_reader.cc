#include "wasm-binary/module_reader.h"

#include "wasm-binary/byte_cursor.h"

namespace ws::wasm {
namespace {

Limits ReadLimits(Cursor& c, bool memory64_allowed) {
  Limits l;
  uint8_t flags = c.Byte();
  int bits = memory64_allowed && (flags & 4) ? 64 : 32;
  l.min = c.Leb(bits);
  l.has_max = flags & 1;
  l.shared = flags & 2;
  if (l.has_max) l.max = c.Leb(bits);
  return l;
}

void ReadTypes(Cursor& c, Module& m) {
  for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
    if (c.Byte() != 0x60) return c.Fail("expected a function type");
    FuncType t;
    for (uint32_t k = c.Count(), j = 0; j < k && c.ok(); ++j) t.params.push_back(c.Byte());
    for (uint32_t k = c.Count(), j = 0; j < k && c.ok(); ++j) t.results.push_back(c.Byte());
    m.types.push_back(std::move(t));
  }
}

void ReadImports(Cursor& c, Module& m) {
  for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
    Import imp;
    imp.module = c.Name();
    imp.name = c.Name();
    imp.kind = static_cast<ExternalKind>(c.Byte());
    switch (imp.kind) {
      case ExternalKind::kFunction:
        imp.type_index = c.U32();
        ++m.imported_functions;
        break;
      case ExternalKind::kTable:
        c.Byte();  // element type
        imp.limits = ReadLimits(c, false);
        break;
      case ExternalKind::kMemory: imp.limits = ReadLimits(c, true); break;
      case ExternalKind::kGlobal:
        c.Byte();  // value type
        c.Byte();  // mutability
        break;
      case ExternalKind::kTag:
        c.Byte();
        c.U32();
        break;
      default: return c.Fail("unknown import kind");
    }
    m.imports.push_back(std::move(imp));
  }
}

void ReadExports(Cursor& c, Module& m) {
  for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
    Export e;
    e.name = c.Name();
    e.kind = static_cast<ExternalKind>(c.Byte());
    e.index = c.U32();
    m.exports.push_back(std::move(e));
  }
}

void ReadCode(Cursor& c, Module& m) {
  uint32_t n = c.Count();
  if (n != m.function_types.size()) c.Fail("code and function sections disagree on the function count");
  for (uint32_t i = 0; i < n && c.ok(); ++i) {
    uint32_t start = static_cast<uint32_t>(c.pos());
    uint32_t size = c.U32();
    c.Skip(size);
    m.bodies.push_back({m.imported_functions + i, start, static_cast<uint32_t>(c.pos() - start)});
  }
}

// The "name" section's function names (subsection 1); other subsections
// are skipped.
void ReadNames(Cursor& c, Module& m) {
  while (!c.done() && c.ok()) {
    uint8_t sub = c.Byte();
    uint32_t size = c.U32();
    if (sub != 1) {
      c.Skip(size);
      continue;
    }
    for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
      uint32_t index = c.U32();
      m.function_names[index] = c.Name();
    }
  }
}

void ReadSection(std::span<const uint8_t> bytes, Section& s, Module& m, std::string& error) {
  Cursor c(bytes, s.payload_offset, s.payload_offset + s.payload_size);
  switch (s.id) {
    case SectionId::kType: ReadTypes(c, m); break;
    case SectionId::kImport: ReadImports(c, m); break;
    case SectionId::kFunction:
      for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) m.function_types.push_back(c.U32());
      break;
    case SectionId::kMemory:
      for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) m.memories.push_back(ReadLimits(c, true));
      break;
    case SectionId::kExport: ReadExports(c, m); break;
    case SectionId::kCode: ReadCode(c, m); break;
    case SectionId::kCustom:
      s.name = c.Name();
      if (s.name == "name") ReadNames(c, m);
      break;
    default: break;
  }
  if (!c.ok()) error = "section " + std::to_string(static_cast<int>(s.id)) + ": " + c.error();
}

}  // namespace

const Export* Module::FindExport(const std::string& name) const {
  for (const Export& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const FuncType* Module::FunctionType(uint32_t function_index) const {
  uint32_t type = 0;
  if (function_index < imported_functions) {
    uint32_t seen = 0;
    for (const Import& imp : imports) {
      if (imp.kind != ExternalKind::kFunction) continue;
      if (seen++ == function_index) type = imp.type_index;
    }
  } else if (function_index - imported_functions < function_types.size()) {
    type = function_types[function_index - imported_functions];
  } else {
    return nullptr;
  }
  return type < types.size() ? &types[type] : nullptr;
}

const Limits* Module::Memory() const {
  for (const Import& imp : imports) {
    if (imp.kind == ExternalKind::kMemory) return &imp.limits;
  }
  return memories.empty() ? nullptr : &memories[0];
}

Result<Module> ReadModule(std::span<const uint8_t> bytes) {
  static const uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  if (bytes.size() < 8 || !std::equal(kHeader, kHeader + 8, bytes.begin())) {
    return Error{"not a wasm module (bad magic or version)"};
  }
  Module m;
  m.total_size = bytes.size();
  Cursor c(bytes, 8, bytes.size());
  while (!c.done()) {
    Section s;
    s.offset = static_cast<uint32_t>(c.pos());
    s.id = static_cast<SectionId>(c.Byte());
    uint32_t payload = c.U32();
    s.payload_offset = static_cast<uint32_t>(c.pos());
    c.Skip(payload);
    if (!c.ok()) return Error{"truncated section: " + c.error()};
    s.payload_size = payload;
    s.size = static_cast<uint32_t>(c.pos()) - s.offset;
    std::string error;
    ReadSection(bytes, s, m, error);
    if (!error.empty()) return Error{error};
    m.sections.push_back(std::move(s));
  }
  return m;
}

}  // namespace ws::wasm
