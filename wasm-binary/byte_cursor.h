// A bounds-checked cursor over a wasm binary's bytes: LEB128 numbers, names,
// skips. The first failure sticks and is reported once, with its offset;
// every read after it returns zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ws::wasm {

class Cursor {
 public:
  Cursor(std::span<const uint8_t> bytes, size_t pos, size_t end) : bytes_(bytes), pos_(pos), end_(end) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t pos() const { return pos_; }
  bool done() const { return pos_ >= end_; }
  void Fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at byte " + std::to_string(pos_);
  }

  uint8_t Byte() {
    if (pos_ >= end_) {
      Fail("unexpected end of data");
      return 0;
    }
    return bytes_[pos_++];
  }
  // An unsigned or signed LEB128 of at most `max_bits` (the value's raw
  // bits; a signed one is not sign-extended).
  uint64_t Leb(int max_bits = 32) {
    uint64_t value = 0;
    for (int shift = 0; shift < max_bits + 7; shift += 7) {
      uint8_t b = Byte();
      if (!ok()) return 0;
      if (shift < 64) value |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
    Fail("LEB128 number too long");
    return 0;
  }
  uint32_t U32() { return static_cast<uint32_t>(Leb(32)); }
  std::string Name() {
    uint32_t len = U32();
    if (!ok()) return {};
    if (len > end_ - pos_) {
      Fail("name runs past its section");
      return {};
    }
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), len);
    pos_ += len;
    return s;
  }
  void Skip(uint64_t n) {
    if (n > end_ - pos_) {
      Fail("length runs past its section");
      return;
    }
    pos_ += static_cast<size_t>(n);
  }
  // Guards vectors of items at least one byte each from absurd counts.
  uint32_t Count() {
    uint32_t n = U32();
    if (n > end_ - pos_) Fail("count larger than its section");
    return ok() ? n : 0;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_;
  size_t end_;
  std::string error_;
};

}  // namespace ws::wasm
