#include "wasm-opt-passes/wasm_sections.h"

#include <optional>

namespace ws::opt {
namespace {

constexpr uint8_t kCustomSectionId = 0;
constexpr uint8_t kDataSectionId = 11;
constexpr uint8_t kOpI32Const = 0x41;
constexpr uint8_t kOpGlobalGet = 0x23;
constexpr uint8_t kOpEnd = 0x0B;
constexpr size_t kHeaderSize = 8;

class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, size_t pos) : bytes_(bytes), pos_(pos) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= bytes_.size(); }
  std::optional<uint8_t> Byte() {
    if (AtEnd()) return std::nullopt;
    return bytes_[pos_++];
  }
  std::optional<uint32_t> U32() {
    uint64_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      std::optional<uint8_t> b = Byte();
      if (!b) return std::nullopt;
      value |= uint64_t{*b & 0x7Fu} << shift;
      if ((*b & 0x80) == 0) return static_cast<uint32_t>(value);
    }
    return std::nullopt;
  }
  std::optional<int32_t> S32() {
    int64_t value = 0;
    int shift = 0;
    uint8_t b = 0x80;
    while (b & 0x80) {
      std::optional<uint8_t> next = Byte();
      if (!next || shift >= 35) return std::nullopt;
      b = *next;
      value |= int64_t{b & 0x7F} << shift;
      shift += 7;
    }
    if (shift < 64 && (b & 0x40)) value |= -(int64_t{1} << shift);
    return static_cast<int32_t>(value);
  }
  bool Skip(size_t n) {
    if (n > bytes_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_;
};

// An active segment's offset expression: `i32.const N end` gives an
// address; `global.get G end` (position-independent code) gives none.
Status ReadOffset(Reader& in, DataSegmentView& segment) {
  std::optional<uint8_t> op = in.Byte();
  if (op == kOpI32Const) {
    std::optional<int32_t> value = in.S32();
    if (!value) return Error{"truncated data segment offset"};
    segment.constant_address = true;
    segment.address = static_cast<uint32_t>(*value);
  } else if (op == kOpGlobalGet) {
    if (!in.U32()) return Error{"truncated data segment offset"};
  } else {
    return Error{"unsupported data segment offset expression"};
  }
  if (in.Byte() != kOpEnd) return Error{"unsupported data segment offset expression"};
  return {};
}

Result<DataSegmentView> ReadSegment(Reader& in) {
  std::optional<uint32_t> flags = in.U32();
  if (!flags || *flags > 2) return Error{"unsupported data segment kind"};
  DataSegmentView segment;
  if (*flags == 2 && !in.U32()) return Error{"truncated data segment"};  // memory index
  if (*flags != 1) {
    if (Status offset = ReadOffset(in, segment); !offset) return offset.error();
  }
  std::optional<uint32_t> size = in.U32();
  if (!size) return Error{"truncated data segment"};
  segment.size = *size;
  segment.file_offset = in.pos();
  if (!in.Skip(*size)) return Error{"truncated data segment"};
  return segment;
}

struct Section {
  uint8_t id;
  size_t header;  // where the section id is
  size_t begin;   // contents
  size_t end;
};

Result<std::vector<Section>> Sections(std::span<const uint8_t> wasm) {
  std::vector<Section> sections;
  Reader in(wasm, kHeaderSize);
  while (!in.AtEnd()) {
    size_t header = in.pos();
    std::optional<uint8_t> id = in.Byte();
    std::optional<uint32_t> size = in.U32();
    if (!id || !size) return Error{"truncated section header"};
    size_t begin = in.pos();
    if (!in.Skip(*size)) return Error{"truncated section"};
    sections.push_back({*id, header, begin, in.pos()});
  }
  return sections;
}

Result<std::string> CustomName(std::span<const uint8_t> wasm, const Section& section) {
  Reader in(wasm.first(section.end), section.begin);
  std::optional<uint32_t> length = in.U32();
  size_t begin = in.pos();
  if (!length || !in.Skip(*length)) return Error{"truncated custom section name"};
  return std::string(wasm.begin() + static_cast<std::ptrdiff_t>(begin),
                     wasm.begin() + static_cast<std::ptrdiff_t>(begin + *length));
}

}  // namespace

Result<std::vector<DataSegmentView>> FindDataSegments(std::span<const uint8_t> wasm) {
  Result<std::vector<Section>> sections = Sections(wasm);
  if (!sections) return sections.error();
  std::vector<DataSegmentView> segments;
  for (const Section& section : *sections) {
    if (section.id != kDataSectionId) continue;
    Reader in(wasm.first(section.end), section.begin);
    std::optional<uint32_t> count = in.U32();
    if (!count) return Error{"truncated data section"};
    for (uint32_t i = 0; i < *count; ++i) {
      Result<DataSegmentView> segment = ReadSegment(in);
      if (!segment) return segment.error();
      segments.push_back(*segment);
    }
    if (!in.AtEnd()) return Error{"data section size mismatch"};
  }
  return segments;
}

Result<std::vector<std::string>> CustomSectionNames(std::span<const uint8_t> wasm) {
  Result<std::vector<Section>> sections = Sections(wasm);
  if (!sections) return sections.error();
  std::vector<std::string> names;
  for (const Section& section : *sections) {
    if (section.id != kCustomSectionId) continue;
    Result<std::string> name = CustomName(wasm, section);
    if (!name) return name.error();
    names.push_back(std::move(*name));
  }
  return names;
}

Result<std::vector<uint8_t>> WithoutCustomSections(std::span<const uint8_t> wasm, std::string_view prefix,
                                                   uint64_t& dropped) {
  dropped = 0;
  if (wasm.size() < kHeaderSize) return Error{"truncated module header"};
  Result<std::vector<Section>> sections = Sections(wasm);
  if (!sections) return sections.error();
  std::vector<uint8_t> kept(wasm.begin(), wasm.begin() + static_cast<std::ptrdiff_t>(kHeaderSize));
  for (const Section& section : *sections) {
    if (section.id == kCustomSectionId) {
      Result<std::string> name = CustomName(wasm, section);
      if (!name) return name.error();
      if (name->starts_with(prefix)) {
        dropped += section.end - section.header;
        continue;
      }
    }
    kept.insert(kept.end(), wasm.begin() + static_cast<std::ptrdiff_t>(section.header),
                wasm.begin() + static_cast<std::ptrdiff_t>(section.end));
  }
  return kept;
}

}  // namespace ws::opt
