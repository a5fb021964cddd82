#include "wasm-binary/snapshot_writer.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "wasm-binary/byte_cursor.h"
#include "wasm-binary/module_reader.h"

namespace ws::wasm {
namespace {

constexpr uint64_t kPageBytes = 65536;
constexpr uint8_t kEnd = 0x0B;
constexpr uint8_t kI32Const = 0x41, kI64Const = 0x42, kF32Const = 0x43, kF64Const = 0x44;
constexpr uint8_t kNameSubsectionData = 9;

using Bytes = std::vector<uint8_t>;

void PutU32(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v != 0 ? (b | 0x80) : b);
  } while (v != 0);
}

void PutS64(Bytes& out, int64_t v) {
  while (true) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic: sign bits fill in
    bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
    out.push_back(done ? b : (b | 0x80));
    if (done) return;
  }
}

void PutBytes(Bytes& out, std::span<const uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

void PutSection(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  PutU32(out, payload.size());
  PutBytes(out, payload);
}

// A defined global as the global section has it.
struct GlobalEntry {
  uint8_t type = 0;
  bool mutable_ = false;
  std::span<const uint8_t> init;  // the constant expression, `end` included
};

struct DataSegment {
  uint32_t flags = 0;
  uint64_t offset = 0;  // active: where it goes
  uint64_t size = 0;
};

// Skips a constant expression; returns its i32/i64 constant if it is one.
std::optional<int64_t> SkipConstExpr(Cursor& c) {
  std::optional<int64_t> value;
  while (c.ok()) {
    uint8_t op = c.Byte();
    switch (op) {
      case kEnd: return value;
      case kI32Const: value = static_cast<int32_t>(c.Leb(32)); break;  // raw bits, sign fixed below
      case kI64Const: value = static_cast<int64_t>(c.Leb(64)); break;
      case kF32Const: c.Skip(4); break;
      case kF64Const: c.Skip(8); break;
      case 0x23: c.U32(); break;   // global.get
      case 0xD0: c.Byte(); break;  // ref.null
      case 0xD2: c.U32(); break;   // ref.func
      case 0xFD: c.U32(); c.Skip(16); break;  // v128.const
      default: c.Fail("unsupported constant expression"); return std::nullopt;
    }
  }
  return std::nullopt;
}

// LEB bits as read by Cursor::Leb are not sign-extended: this does.
int64_t SignExtend(uint64_t raw, int bits_read) {
  if (bits_read >= 64) return static_cast<int64_t>(raw);
  uint64_t sign = uint64_t{1} << (bits_read - 1);
  return static_cast<int64_t>((raw ^ sign) - sign);
}

// Reads an i32.const expression's value, sign-extended, or nullopt.
std::optional<int32_t> I32ConstOf(std::span<const uint8_t> expr) {
  Cursor c(expr, 0, expr.size());
  if (c.Byte() != kI32Const) return std::nullopt;
  size_t start = c.pos();
  uint64_t raw = c.Leb(32);
  int bits = static_cast<int>(std::min<size_t>(7 * (c.pos() - start), 64));
  if (!c.ok() || c.Byte() != kEnd) return std::nullopt;
  return static_cast<int32_t>(SignExtend(raw, bits));
}

Bytes ConstExpr(const GlobalValue& v) {
  Bytes out;
  switch (v.type) {
    case 0x7F: out.push_back(kI32Const); PutS64(out, static_cast<int32_t>(v.bits)); break;
    case 0x7E: out.push_back(kI64Const); PutS64(out, static_cast<int64_t>(v.bits)); break;
    case 0x7D: {
      out.push_back(kF32Const);
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v.bits >> (8 * i)));
      break;
    }
    default: {
      out.push_back(kF64Const);
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v.bits >> (8 * i)));
      break;
    }
  }
  out.push_back(kEnd);
  return out;
}

// Everything about the module the rewrite needs beyond ReadModule.
struct Layout {
  Module module;
  uint32_t imported_globals = 0;
  std::vector<GlobalEntry> globals;
  std::vector<DataSegment> data;
};

Status ReadGlobals(std::span<const uint8_t> wasm, const Section& s, Layout& l) {
  Cursor c(wasm, s.payload_offset, s.payload_offset + s.payload_size);
  for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
    GlobalEntry g;
    g.type = c.Byte();
    g.mutable_ = c.Byte() == 1;
    size_t start = c.pos();
    SkipConstExpr(c);
    g.init = wasm.subspan(start, c.pos() - start);
    l.globals.push_back(g);
  }
  if (!c.ok()) return Error{"global section: " + c.error()};
  return {};
}

Status ReadData(std::span<const uint8_t> wasm, const Section& s, Layout& l) {
  Cursor c(wasm, s.payload_offset, s.payload_offset + s.payload_size);
  for (uint32_t n = c.Count(), i = 0; i < n && c.ok(); ++i) {
    DataSegment d;
    d.flags = c.U32();
    if (d.flags == 1) return Error{"it has passive data segments (bulk memory's memory.init)"};
    if (d.flags == 2 && c.U32() != 0) return Error{"a data segment targets a second memory"};
    if (d.flags > 2) return Error{"unknown data segment kind " + std::to_string(d.flags)};
    size_t start = c.pos();
    SkipConstExpr(c);
    std::optional<int32_t> offset = I32ConstOf(wasm.subspan(start, c.pos() - start));
    if (!offset) return Error{"a data segment's offset is not a constant"};
    d.offset = static_cast<uint32_t>(*offset);
    d.size = c.U32();
    c.Skip(d.size);
    l.data.push_back(d);
  }
  if (!c.ok()) return Error{"data section: " + c.error()};
  return {};
}

Result<Layout> ReadLayout(std::span<const uint8_t> wasm) {
  Result<Module> module = ReadModule(wasm);
  if (!module) return module.error();
  Layout l;
  l.module = std::move(*module);
  for (const Import& import : l.module.imports) {
    if (import.kind == ExternalKind::kMemory) return Error{"its memory is imported (shared memory)"};
    if (import.kind == ExternalKind::kGlobal) ++l.imported_globals;
  }
  if (l.module.memories.size() != 1) return Error{"it does not define exactly one memory"};
  for (const Section& s : l.module.sections) {
    Status read;
    if (s.id == SectionId::kGlobal) read = ReadGlobals(wasm, s, l);
    if (s.id == SectionId::kData) read = ReadData(wasm, s, l);
    if (!read) return read.error();
  }
  return l;
}

Bytes DataSection(const Bytes& memory, uint32_t merge_gap, SnapshotStats& stats) {
  std::vector<ByteRange> ranges = NonZeroRanges(memory, merge_gap);
  Bytes out;
  PutU32(out, ranges.size());
  for (const ByteRange& r : ranges) {
    out.push_back(0);  // active, memory 0
    out.push_back(kI32Const);
    PutS64(out, static_cast<int32_t>(r.offset));
    out.push_back(kEnd);
    PutU32(out, r.size);
    PutBytes(out, std::span(memory).subspan(r.offset, r.size));
    stats.data_bytes += r.size;
  }
  stats.segments = static_cast<uint32_t>(ranges.size());
  return out;
}

// The rewritten sections, each a function of the section's payload.
class Rewriter {
 public:
  Rewriter(std::span<const uint8_t> wasm, const Layout& l, const Snapshot& snapshot, const SnapshotOptions& options)
      : wasm_(wasm), l_(l), snapshot_(snapshot), options_(options) {}

  Result<Bytes> Write(SnapshotStats& stats) {
    const Export* entry = l_.module.FindExport(options_.empty_export);
    if (entry == nullptr || entry->kind != ExternalKind::kFunction) {
      return Error{"it has no function export " + options_.empty_export};
    }
    const Bytes& memory = snapshot_.memory;
    stats.memory_pages = std::max<uint64_t>(l_.module.memories[0].min, (memory.size() + kPageBytes - 1) / kPageBytes);
    data_ = DataSection(memory, options_.merge_gap, stats);
    FindEmptyType();
    empty_function_ = l_.module.imported_functions + static_cast<uint32_t>(l_.module.function_types.size());
    Bytes out(wasm_.begin(), wasm_.begin() + 8);  // magic and version
    bool data_written = false;
    for (const Section& s : l_.module.sections) {
      auto payload = wasm_.subspan(s.payload_offset, s.payload_size);
      auto id = static_cast<uint8_t>(s.id);
      switch (s.id) {
        case SectionId::kType: PutSection(out, id, Types(payload)); break;
        case SectionId::kFunction: PutSection(out, id, Appended(payload, type_index_)); break;
        case SectionId::kMemory: PutSection(out, id, Memory(stats.memory_pages)); break;
        case SectionId::kGlobal: PutSection(out, id, Globals()); break;
        case SectionId::kExport: PutSection(out, id, Exports()); break;
        case SectionId::kDataCount: {
          Bytes count;
          PutU32(count, stats.segments);
          PutSection(out, id, count);
          break;
        }
        case SectionId::kCode:
          PutSection(out, id, Appended(payload, {0x02, 0x00, kEnd}));  // size 2: no locals, end
          if (!HasData()) {
            PutSection(out, static_cast<uint8_t>(SectionId::kData), data_);
            data_written = true;
          }
          break;
        case SectionId::kData:
          PutSection(out, id, data_);
          data_written = true;
          break;
        case SectionId::kCustom:
          if (s.name == "name") {
            PutSection(out, id, NamesWithoutData(s));
            break;
          }
          [[fallthrough]];
        default: PutBytes(out, wasm_.subspan(s.offset, s.size)); break;
      }
    }
    if (!data_written) return Error{"it has no code section"};
    return out;
  }

 private:
  bool HasData() const {
    return std::any_of(l_.module.sections.begin(), l_.module.sections.end(),
                       [](const Section& s) { return s.id == SectionId::kData; });
  }

  void FindEmptyType() {
    for (uint32_t i = 0; i < l_.module.types.size(); ++i) {
      if (l_.module.types[i].params.empty() && l_.module.types[i].results.empty()) {
        type_index_ = i;
        return;
      }
    }
    type_index_ = static_cast<uint32_t>(l_.module.types.size());
    new_type_ = true;
  }

  // A vector section's payload with one more item (its bytes) at the end.
  static Bytes Appended(std::span<const uint8_t> payload, const Bytes& item) {
    Cursor c(payload, 0, payload.size());
    uint32_t count = c.U32();
    Bytes out;
    PutU32(out, count + 1);
    PutBytes(out, payload.subspan(c.pos()));
    PutBytes(out, item);
    return out;
  }
  static Bytes Appended(std::span<const uint8_t> payload, uint32_t index) {
    Bytes item;
    PutU32(item, index);
    return Appended(payload, item);
  }

  Bytes Types(std::span<const uint8_t> payload) const {
    if (!new_type_) return Bytes(payload.begin(), payload.end());
    return Appended(payload, Bytes{0x60, 0x00, 0x00});
  }

  Bytes Memory(uint64_t pages) const {
    const Limits& m = l_.module.memories[0];
    Bytes out{0x01};
    out.push_back(static_cast<uint8_t>((m.has_max ? 1 : 0) | (m.shared ? 2 : 0)));
    PutU32(out, pages);
    if (m.has_max) PutU32(out, std::max<uint64_t>(m.max, pages));
    return out;
  }

  Bytes Globals() const {
    Bytes out;
    PutU32(out, l_.globals.size());
    for (uint32_t i = 0; i < l_.globals.size(); ++i) {
      const GlobalEntry& g = l_.globals[i];
      out.push_back(g.type);
      out.push_back(g.mutable_ ? 1 : 0);
      uint32_t index = l_.imported_globals + i;
      auto value = std::find_if(snapshot_.globals.begin(), snapshot_.globals.end(),
                                [&](const GlobalValue& v) { return v.index == index; });
      bool numeric = g.type == 0x7F || g.type == 0x7E || g.type == 0x7D || g.type == 0x7C;
      if (g.mutable_ && numeric && value != snapshot_.globals.end() && value->type == g.type) {
        PutBytes(out, ConstExpr(*value));
      } else {
        PutBytes(out, g.init);
      }
    }
    return out;
  }

  Bytes Exports() const {
    Bytes out;
    PutU32(out, l_.module.exports.size());
    for (const Export& e : l_.module.exports) {
      PutU32(out, e.name.size());
      out.insert(out.end(), e.name.begin(), e.name.end());
      out.push_back(static_cast<uint8_t>(e.kind));
      PutU32(out, e.name == options_.empty_export ? empty_function_ : e.index);
    }
    return out;
  }

  // The name section without data segment names: the segments are new.
  Bytes NamesWithoutData(const Section& s) const {
    Cursor c(wasm_, s.payload_offset, s.payload_offset + s.payload_size);
    std::string name = c.Name();
    Bytes out;
    PutU32(out, name.size());
    out.insert(out.end(), name.begin(), name.end());
    while (c.ok() && !c.done()) {
      size_t start = c.pos();
      uint8_t id = c.Byte();
      uint32_t size = c.U32();
      c.Skip(size);
      if (c.ok() && id != kNameSubsectionData) PutBytes(out, wasm_.subspan(start, c.pos() - start));
    }
    return out;
  }

  std::span<const uint8_t> wasm_;
  const Layout& l_;
  const Snapshot& snapshot_;
  const SnapshotOptions& options_;
  Bytes data_;
  uint32_t type_index_ = 0;
  bool new_type_ = false;
  uint32_t empty_function_ = 0;
};

}  // namespace

std::vector<ByteRange> NonZeroRanges(std::span<const uint8_t> memory, uint32_t merge_gap) {
  std::vector<ByteRange> ranges;
  size_t i = 0;
  while (i < memory.size()) {
    while (i < memory.size() && memory[i] == 0) ++i;
    if (i == memory.size()) break;
    size_t start = i, end = i;
    // Extend over non-zero bytes and short zero runs.
    while (i < memory.size()) {
      if (memory[i] != 0) {
        end = ++i;
        continue;
      }
      size_t zeros = i;
      while (zeros < memory.size() && memory[zeros] == 0 && zeros - end < merge_gap) ++zeros;
      if (zeros == memory.size() || memory[zeros] == 0) break;
      i = zeros;
    }
    ranges.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end - start)});
    i = end;
  }
  return ranges;
}

Result<std::vector<uint8_t>> WriteSnapshot(std::span<const uint8_t> wasm, const Snapshot& snapshot,
                                           const SnapshotOptions& options, SnapshotStats* stats) {
  Result<Layout> layout = ReadLayout(wasm);
  if (!layout) return Error{"cannot snapshot this module: " + layout.error().message};
  SnapshotStats ignored;
  Result<Bytes> out = Rewriter(wasm, *layout, snapshot, options).Write(stats != nullptr ? *stats : ignored);
  if (!out) return Error{"cannot snapshot this module: " + out.error().message};
  return out;
}

}  // namespace ws::wasm
