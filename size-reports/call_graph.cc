// ReadCallGraph: the call edges of every body, decoded instruction by
// instruction (wasm-binary's reader gives the byte ranges; only this needs
// the opcodes). Every immediate of the MVP, sign extension, bulk memory,
// reference types, tail calls, exceptions, SIMD (relaxed too) and threads
// is skipped exactly; an unknown opcode (GC, say) is an error, never a guess.
#include <algorithm>
#include <string>

#include "size-reports/call_graph.h"
#include "wasm-binary/byte_cursor.h"
#include "wasm-binary/module_reader.h"

namespace ws::size {
namespace {

// Immediates are read as 64-bit LEBs: i64.const has the widest.
class Reader : public wasm::Cursor {
 public:
  using wasm::Cursor::Cursor;
  uint64_t Leb() { return wasm::Cursor::Leb(64); }
  uint32_t U32() { return static_cast<uint32_t>(Leb()); }
};

// What a body's (or a constant expression's) instructions refer to.
struct Refs {
  std::vector<uint32_t> functions;  // call, return_call, ref.func targets
  bool indirect = false;            // call_indirect, return_call_indirect, call_ref
};

void MemArg(Reader& r) {
  uint32_t align = r.U32();
  if (align & 0x40) r.U32();  // multi-memory: a memory index follows
  r.Leb();
}

void Prefixed0xFC(Reader& r) {
  uint32_t op = r.U32();
  switch (op) {
    case 8: r.U32(), r.U32(); break;    // memory.init data mem
    case 9: r.U32(); break;             // data.drop
    case 10: r.U32(), r.U32(); break;   // memory.copy
    case 11: r.U32(); break;            // memory.fill
    case 12: r.U32(), r.U32(); break;   // table.init elem table
    case 13: r.U32(); break;            // elem.drop
    case 14: r.U32(), r.U32(); break;   // table.copy
    case 15: case 16: case 17: r.U32(); break;  // table.grow/size/fill
    default:
      if (op > 17) r.Fail("unknown 0xFC opcode " + std::to_string(op));
  }
}

void Simd(Reader& r) {
  uint32_t op = r.U32();
  if (op <= 11 || op == 92 || op == 93) {
    MemArg(r);
  } else if (op == 12 || op == 13) {
    r.Skip(16);  // v128.const, i8x16.shuffle
  } else if (op >= 21 && op <= 34) {
    r.Skip(1);  // extract/replace lane
  } else if (op >= 84 && op <= 91) {
    MemArg(r), r.Skip(1);  // load/store lane
  } else if (op > 0x113) {
    r.Fail("unknown SIMD opcode " + std::to_string(op));
  }
}

void Atomic(Reader& r) {
  uint32_t op = r.U32();
  if (op == 3) {
    r.Skip(1);  // atomic.fence
  } else if (op <= 0x4E) {
    MemArg(r);
  } else {
    r.Fail("unknown atomic opcode " + std::to_string(op));
  }
}

// One instruction's immediates; false at the `end` that closes depth 0.
bool Instruction(Reader& r, Refs& refs, int& depth) {
  uint8_t op = r.Byte();
  if (!r.ok()) return false;
  switch (op) {
    case 0x02: case 0x03: case 0x04: case 0x06:  // block loop if try: a block type
      r.Leb(), ++depth;
      break;
    case 0x1F: {  // try_table
      r.Leb(), ++depth;
      uint32_t n = r.U32();
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        uint8_t kind = r.Byte();
        if (kind <= 1) r.U32();
        r.U32();
      }
      break;
    }
    case 0x0B:
      if (depth-- == 0) return false;
      break;
    case 0x07: case 0x08: case 0x09: case 0x18: case 0x0C: case 0x0D: case 0xD4: case 0xD6:
      r.U32();  // tag, depth or label
      break;
    case 0x0E: {  // br_table
      uint32_t n = r.U32();
      for (uint32_t i = 0; i <= n && r.ok(); ++i) r.U32();
      break;
    }
    case 0x10: case 0x12: case 0xD2:  // call, return_call, ref.func
      refs.functions.push_back(r.U32());
      break;
    case 0x11: case 0x13:  // call_indirect, return_call_indirect
      r.U32(), r.U32(), refs.indirect = true;
      break;
    case 0x14: case 0x15:  // call_ref, return_call_ref
      r.U32(), refs.indirect = true;
      break;
    case 0x1C: {  // select t*
      uint32_t n = r.U32();
      r.Skip(n);
      break;
    }
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26:
      r.U32();
      break;
    case 0x3F: case 0x40: r.U32(); break;  // memory.size/grow
    case 0x41: case 0x42: r.Leb(); break;
    case 0x43: r.Skip(4); break;
    case 0x44: r.Skip(8); break;
    case 0xD0: r.Leb(); break;  // ref.null heap type
    case 0xFC: Prefixed0xFC(r); break;
    case 0xFD: Simd(r); break;
    case 0xFE: Atomic(r); break;
    default:
      if (op >= 0x28 && op <= 0x3E) {
        MemArg(r);
      } else if (!(op <= 0x01 || op == 0x05 || op == 0x0A || op == 0x0F || op == 0x19 || op == 0x1A ||
                   op == 0x1B || (op >= 0x45 && op <= 0xC4) || op == 0xD1 || op == 0xD3 || op == 0xD5)) {
        r.Fail("unknown opcode 0x" + std::string(1, "0123456789abcdef"[op >> 4]) + "0123456789abcdef"[op & 15]);
      }
  }
  return r.ok();
}

// Instructions up to the `end` at depth 0.
void Expression(Reader& r, Refs& refs) {
  int depth = 0;
  while (Instruction(r, refs, depth)) {
  }
}

void Body(Reader& r, Refs& refs) {
  r.U32();  // the size prefix
  uint32_t groups = r.U32();
  for (uint32_t i = 0; i < groups && r.ok(); ++i) {
    r.U32();
    uint8_t type = r.Byte();
    if (type == 0x63 || type == 0x64) r.Leb();  // (ref null? ht)
  }
  Expression(r, refs);
}

void Elements(Reader& r, std::vector<uint32_t>& table) {
  uint32_t segments = r.U32();
  for (uint32_t s = 0; s < segments && r.ok(); ++s) {
    uint32_t flags = r.U32();
    Refs refs;
    if (flags == 2 || flags == 6) r.U32();              // table index
    if ((flags & 1) == 0) Expression(r, refs);          // active: the offset
    if (flags & 3) r.Byte();                            // elemkind or reftype
    uint32_t n = r.U32();
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      if (flags & 4) {
        Expression(r, refs);
      } else {
        refs.functions.push_back(r.U32());
      }
    }
    // A declarative segment (3, 7) only declares functions for ref.func.
    if ((flags & 3) != 3) table.insert(table.end(), refs.functions.begin(), refs.functions.end());
  }
}

void SortUnique(std::vector<uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

Result<CallGraph> ReadCallGraph(std::span<const uint8_t> wasm) {
  Result<wasm::Module> read = wasm::ReadModule(wasm);
  if (!read) return Error{"not a readable wasm module: " + read.error().message};
  const wasm::Module& module = *read;
  CallGraph graph;
  graph.imported = module.imported_functions;
  std::vector<Refs> refs(module.bodies.size());
  graph.size.resize(module.bodies.size());
  for (size_t i = 0; i < module.bodies.size(); ++i) {
    const wasm::FunctionBody& body = module.bodies[i];
    graph.size[i] = body.size;
    Reader r(wasm, body.offset, static_cast<size_t>(body.offset) + body.size);
    Body(r, refs[i]);
    if (!r.ok()) {
      return Error{"the body of function " + std::to_string(body.function_index) + " does not decode: " + r.error()};
    }
  }
  std::vector<uint32_t> start;
  for (const wasm::Section& s : module.sections) {
    Reader r(wasm, s.payload_offset, static_cast<size_t>(s.payload_offset) + s.payload_size);
    if (s.id == wasm::SectionId::kElement) Elements(r, graph.table);
    if (s.id == wasm::SectionId::kStart) start.push_back(r.U32());
    if (!r.ok()) return Error{"the " + std::string(s.id == wasm::SectionId::kStart ? "start" : "element") +
                              " section does not decode: " + r.error()};
  }
  SortUnique(graph.table);
  std::erase_if(graph.table, [&](uint32_t f) { return !graph.Defined(f); });

  graph.callees.resize(module.bodies.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    std::vector<uint32_t>& out = graph.callees[i];
    for (uint32_t f : refs[i].functions) {
      if (graph.Defined(f)) out.push_back(f - graph.imported);
    }
    if (refs[i].indirect) {
      for (uint32_t f : graph.table) out.push_back(f - graph.imported);
    }
    SortUnique(out);
  }
  for (const wasm::Export& e : module.exports) {
    if (e.kind == wasm::ExternalKind::kFunction && graph.Defined(e.index)) {
      graph.roots.push_back({Root::kExport, e.name, e.index});
    }
  }
  for (uint32_t f : start) {
    if (graph.Defined(f)) graph.roots.push_back({Root::kStart, "", f});
  }
  for (uint32_t f : graph.table) graph.roots.push_back({Root::kTable, "", f});
  return graph;
}

}  // namespace ws::size
