#include "device-host/render/draw_list.h"

#include <bit>
#include <cmath>
#include <optional>

namespace ws::host {
namespace {

constexpr uint32_t kMagic = host_abi::kDrawListMagic;
constexpr size_t kHeaderSize = host_abi::kDrawListHeaderSize;

const char* OpName(DrawOp op) { return host_abi::Info(op).name.data(); }  // the table's names are literals

// Bytes of fields after the opcode; TEXT's string follows its fixed part.
size_t FixedFieldSize(DrawOp op) { return host_abi::Info(op).fixed_bytes; }

std::optional<DrawOp> OpFromByte(uint8_t byte) {
  if (byte < static_cast<uint8_t>(host_abi::kFirstDrawOp) || byte > static_cast<uint8_t>(host_abi::kLastDrawOp)) {
    return std::nullopt;
  }
  return static_cast<DrawOp>(byte);
}

bool IsPush(DrawOp op) {
  return op == DrawOp::kPushClip || op == DrawOp::kPushOpacity || op == DrawOp::kPushTransform;
}

// The push a pop closes, or nullopt if `op` is not a pop.
std::optional<DrawOp> PushFor(DrawOp op) {
  switch (op) {
    case DrawOp::kPopClip: return DrawOp::kPushClip;
    case DrawOp::kPopOpacity: return DrawOp::kPushOpacity;
    case DrawOp::kPopTransform: return DrawOp::kPushTransform;
    default: return std::nullopt;
  }
}

std::string Hex(uint32_t value) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 0xF];
  return out;
}

Error Fail(const std::string& what, size_t offset) {
  return Error{"draw list: " + what + " at byte " + std::to_string(offset)};
}

// Little-endian field reads. Callers check lengths first to report precise
// errors; the reads check again, so a wrong size table cannot read past the
// end (an overrun reads zeros and is reported as truncation).
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }
  bool overran() const { return overran_; }

  uint8_t U8() {
    if (!Take(1)) return 0;
    return bytes_[offset_ - 1];
  }
  uint32_t U32() {
    if (!Take(4)) return 0;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(bytes_[offset_ - 4 + i]) << (8 * i);
    return value;
  }
  int32_t I32() { return static_cast<int32_t>(U32()); }

  // Reads an f32 and remembers the first non-finite one, so each command's
  // fields read straight through and are checked once at the end.
  float F32(const char* name) {
    size_t at = offset_;
    float value = std::bit_cast<float>(U32());
    if (!std::isfinite(value) && !bad_float_name_) {
      bad_float_name_ = name;
      bad_float_offset_ = at;
    }
    return value;
  }
  std::string Bytes(size_t n) {
    if (!Take(n)) return {};
    return std::string(reinterpret_cast<const char*>(bytes_.data() + offset_ - n), n);
  }

  const char* bad_float_name() const { return bad_float_name_; }
  size_t bad_float_offset() const { return bad_float_offset_; }

 private:
  bool Take(size_t n) {
    if (n > remaining()) {
      overran_ = true;
      offset_ = bytes_.size();
      return false;
    }
    offset_ += n;
    return true;
  }

  std::span<const uint8_t> bytes_;
  size_t offset_ = 0;
  bool overran_ = false;
  const char* bad_float_name_ = nullptr;
  size_t bad_float_offset_ = 0;
};

void ReadBox(Reader& in, DrawCommand& cmd) {
  cmd.x = in.F32("x");
  cmd.y = in.F32("y");
  cmd.w = in.F32("w");
  cmd.h = in.F32("h");
}

// Reads the fields of `cmd.op`; the fixed part is known to be present.
Result<DrawCommand> ReadFields(Reader& in, DrawCommand cmd, size_t start) {
  switch (cmd.op) {
    case DrawOp::kRect:
      ReadBox(in, cmd);
      cmd.rgba = in.U32();
      cmd.radius = in.F32("radius");
      break;
    case DrawOp::kImage:
      ReadBox(in, cmd);
      cmd.image = in.I32();
      cmd.opacity = in.F32("opacity");
      break;
    case DrawOp::kText: {
      cmd.x = in.F32("x");
      cmd.y = in.F32("y");
      cmd.size = in.F32("size");
      cmd.rgba = in.U32();
      size_t length_at = in.offset();
      uint32_t length = in.U32();
      if (length > in.remaining()) {
        return Fail("truncated TEXT (command at byte " + std::to_string(start) + "): string of " +
                        std::to_string(length) + " bytes, " + std::to_string(in.remaining()) + " left",
                    length_at);
      }
      cmd.text = in.Bytes(length);
      break;
    }
    case DrawOp::kPushClip: ReadBox(in, cmd); break;
    case DrawOp::kPushOpacity: cmd.opacity = in.F32("alpha"); break;
    case DrawOp::kPushTransform:
      for (float& m : cmd.matrix) m = in.F32("matrix entry");
      break;
    default: break;
  }
  return cmd;
}

// Non-finite numbers and negative sizes make a command meaningless.
std::optional<Error> CheckValues(const Reader& in, const DrawCommand& cmd, size_t start) {
  std::string where = std::string(" in ") + OpName(cmd.op) + " (command at byte " +
                      std::to_string(start) + ")";
  if (in.bad_float_name()) {
    return Fail(std::string("non-finite ") + in.bad_float_name() + where, in.bad_float_offset());
  }
  bool has_box = cmd.op == DrawOp::kRect || cmd.op == DrawOp::kImage || cmd.op == DrawOp::kPushClip;
  if (has_box && cmd.w < 0) return Fail("negative w" + where, start + 9);
  if (has_box && cmd.h < 0) return Fail("negative h" + where, start + 13);
  return std::nullopt;
}

Result<DrawCommand> ReadCommand(Reader& in) {
  size_t start = in.offset();
  uint8_t byte = in.U8();
  std::optional<DrawOp> op = OpFromByte(byte);
  if (!op) return Fail("unknown opcode " + std::to_string(byte), start);
  size_t needed = FixedFieldSize(*op);
  if (in.remaining() < needed) {
    return Fail(std::string("truncated ") + OpName(*op) + ": needs at least " + std::to_string(needed + 1) +
                    " bytes, " + std::to_string(in.remaining() + 1) + " left",
                start);
  }
  DrawCommand cmd;
  cmd.op = *op;
  Result<DrawCommand> read = ReadFields(in, std::move(cmd), start);
  if (!read) return read;
  if (in.overran()) return Fail(std::string("truncated ") + OpName(*op), start);
  if (std::optional<Error> bad = CheckValues(in, *read, start)) return *bad;
  return read;
}

// Pushes open so far, innermost last, with where each started. Pops must
// close the innermost push of their own kind: interleaving kinds (PUSH_CLIP,
// PUSH_OPACITY, POP_CLIP) is rejected, because the stacks are one nesting.
class NestingCheck {
 public:
  std::optional<Error> Apply(DrawOp op, size_t offset) {
    if (IsPush(op)) {
      open_.push_back({op, offset});
      return std::nullopt;
    }
    std::optional<DrawOp> wanted = PushFor(op);
    if (!wanted) return std::nullopt;
    if (open_.empty()) return Fail(std::string(OpName(op)) + " without a matching push", offset);
    if (open_.back().op != *wanted) {
      return Fail(std::string(OpName(op)) + " closes " + OpName(open_.back().op) + " from byte " +
                      std::to_string(open_.back().offset),
                  offset);
    }
    open_.pop_back();
    return std::nullopt;
  }

  std::optional<Error> Finish(size_t end) const {
    if (open_.empty()) return std::nullopt;
    const Open& first = open_.front();
    return Fail(std::to_string(open_.size()) + " push(es) never popped, the first " +
                    OpName(first.op) + " from byte " + std::to_string(first.offset) +
                    "; the list ends",
                end);
  }

 private:
  struct Open {
    DrawOp op;
    size_t offset;
  };
  std::vector<Open> open_;
};

// --- encoding ---

void PutU32(std::vector<uint8_t>& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}
void PutF32(std::vector<uint8_t>& out, float value) { PutU32(out, std::bit_cast<uint32_t>(value)); }
void PutBox(std::vector<uint8_t>& out, const DrawCommand& cmd) {
  for (float v : {cmd.x, cmd.y, cmd.w, cmd.h}) PutF32(out, v);
}

void EncodeCommand(std::vector<uint8_t>& out, const DrawCommand& cmd) {
  out.push_back(static_cast<uint8_t>(cmd.op));
  switch (cmd.op) {
    case DrawOp::kRect:
      PutBox(out, cmd);
      PutU32(out, cmd.rgba);
      PutF32(out, cmd.radius);
      break;
    case DrawOp::kImage:
      PutBox(out, cmd);
      PutU32(out, static_cast<uint32_t>(cmd.image));
      PutF32(out, cmd.opacity);
      break;
    case DrawOp::kText:
      for (float v : {cmd.x, cmd.y, cmd.size}) PutF32(out, v);
      PutU32(out, cmd.rgba);
      PutU32(out, static_cast<uint32_t>(cmd.text.size()));
      out.insert(out.end(), cmd.text.begin(), cmd.text.end());
      break;
    case DrawOp::kPushClip: PutBox(out, cmd); break;
    case DrawOp::kPushOpacity: PutF32(out, cmd.opacity); break;
    case DrawOp::kPushTransform:
      for (float m : cmd.matrix) PutF32(out, m);
      break;
    default: break;
  }
}

}  // namespace

Result<DrawList> ParseDrawList(std::span<const uint8_t> bytes) {
  Reader in(bytes);
  if (in.remaining() < kHeaderSize) {
    return Fail("truncated header: needs 8 bytes, " + std::to_string(bytes.size()) + " given", 0);
  }
  uint32_t magic = in.U32();
  if (magic != kMagic) return Fail("bad magic " + Hex(magic) + " (expected " + Hex(kMagic) + ")", 0);
  uint32_t count = in.U32();
  // Every command takes at least its opcode byte; checking this first keeps
  // a lying count from reserving gigabytes.
  if (count > in.remaining()) {
    return Fail("command_count " + std::to_string(count) + " exceeds the " +
                    std::to_string(in.remaining()) + " bytes that follow",
                4);
  }
  DrawList list;
  list.commands.reserve(count);
  NestingCheck nesting;
  for (uint32_t i = 0; i < count; ++i) {
    if (in.remaining() == 0) {
      return Fail("truncated: command " + std::to_string(i) + " of " + std::to_string(count) +
                      " is missing",
                  in.offset());
    }
    size_t start = in.offset();
    Result<DrawCommand> cmd = ReadCommand(in);
    if (!cmd) return cmd.error();
    if (std::optional<Error> bad = nesting.Apply(cmd->op, start)) return *bad;
    list.commands.push_back(std::move(*cmd));
  }
  if (in.remaining() != 0) {
    return Fail(std::to_string(in.remaining()) + " trailing byte(s) after " + std::to_string(count) +
                    " commands",
                in.offset());
  }
  if (std::optional<Error> open = nesting.Finish(in.offset())) return *open;
  return list;
}

std::vector<uint8_t> EncodeDrawList(const DrawList& list) {
  std::vector<uint8_t> out;
  PutU32(out, kMagic);
  PutU32(out, static_cast<uint32_t>(list.commands.size()));
  for (const DrawCommand& cmd : list.commands) EncodeCommand(out, cmd);
  return out;
}

}  // namespace ws::host
