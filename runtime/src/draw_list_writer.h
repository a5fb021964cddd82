// Encodes draw commands in the format of host-abi/host_abi.h ("draw list").
// Commands are appended straight into a growing buffer; the SIMD variant
// stores each command's four coordinates with one 128-bit store.
#pragma once

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "host-abi/host_abi.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace ws::ui {

class DrawListWriter {
 public:
  // A whole list: header, then commands.
  void Begin() {
    Reset();
    uint8_t* p = Grow(host_abi::kDrawListHeaderSize);
    Store<uint32_t>(p, host_abi::kDrawListMagic);
    Store<uint32_t>(p + 4, 0);  // command count, patched by Finish()
  }
  // A piece of a list (no header), to Append() to another writer.
  void BeginPart() { Reset(); }

  void Rect(float x, float y, float w, float h, uint32_t rgba, float radius) {
    uint8_t* p = Command<host_abi::DrawOp::kRect>();
    Box(p, x, y, w, h);
    Store(p + 16, rgba);
    Store(p + 20, radius);
  }
  void Image(float x, float y, float w, float h, int32_t image, float opacity) {
    uint8_t* p = Command<host_abi::DrawOp::kImage>();
    Box(p, x, y, w, h);
    Store(p + 16, image);
    Store(p + 20, opacity);
  }
  void Text(float x, float y, float size, uint32_t rgba, std::string_view text) {
    uint8_t* p = Command<host_abi::DrawOp::kText>(text.size());
    Store(p, x);
    Store(p + 4, y);
    Store(p + 8, size);
    Store(p + 12, rgba);
    Store(p + 16, static_cast<uint32_t>(text.size()));
    if (!text.empty()) std::memcpy(p + 20, text.data(), text.size());
  }
  void PushClip(float x, float y, float w, float h) { Box(Command<host_abi::DrawOp::kPushClip>(), x, y, w, h); }
  void PopClip() { Command<host_abi::DrawOp::kPopClip>(); }
  void PushOpacity(float alpha) { Store(Command<host_abi::DrawOp::kPushOpacity>(), alpha); }
  void PopOpacity() { Command<host_abi::DrawOp::kPopOpacity>(); }
  void PushTransform(float a, float b, float c, float d, float e, float f) {
    uint8_t* p = Command<host_abi::DrawOp::kPushTransform>();
    Box(p, a, b, c, d);
    Store(p + 16, e);
    Store(p + 20, f);
  }
  void PopTransform() { Command<host_abi::DrawOp::kPopTransform>(); }

  // Appends the commands of a part written with BeginPart().
  void Append(const DrawListWriter& part) {
    if (part.size_ == 0) return;
    std::memcpy(Grow(part.size_), part.bytes_.get(), part.size_);
    count_ += part.count_;
  }

  // Patches the count; the bytes are then ready to submit. The buffer
  // keeps its size, so the next frame writes without growing it again.
  std::span<const uint8_t> Finish() {
    Store(bytes_.get() + 4, count_);
    return {bytes_.get(), size_};
  }
  uint32_t count() const { return count_; }

 private:
  void Reset() {
    size_ = 0;
    count_ = 0;
  }
  // Not a std::vector: growing one zero-fills the new bytes, which the
  // commands overwrite anyway; a writer starts empty every frame.
  uint8_t* Grow(size_t n) {
    if (size_ + n > capacity_) [[unlikely]] Reserve(std::max<size_t>(capacity_ * 2, size_ + n + 1024));
    uint8_t* p = bytes_.get() + size_;
    size_ += n;
    return p;
  }
  void Reserve(size_t capacity) {
    auto bigger = std::make_unique_for_overwrite<uint8_t[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), bytes_.get(), size_);
    bytes_ = std::move(bigger);
    capacity_ = capacity;
  }
  // A command's opcode and room for its fields (the fixed ones, then
  // `extra`). The sizes are constants here, so the table stays out of the module.
  template <host_abi::DrawOp kOp>
  uint8_t* Command(size_t extra = 0) {
    constexpr size_t kFixed = host_abi::Info(kOp).fixed_bytes;
    return Op(static_cast<uint8_t>(kOp), kFixed + extra);
  }
  uint8_t* Op(uint8_t op, size_t payload) {
    uint8_t* p = Grow(1 + payload);
    *p = op;
    ++count_;
    return p + 1;
  }
  template <typename T>
  static void Store(uint8_t* p, T v) {
    std::memcpy(p, &v, sizeof(T));  // wasm32 and x86-64 are little-endian
  }
  static void Box(uint8_t* p, float a, float b, float c, float d) {
#ifdef __wasm_simd128__
    wasm_v128_store(p, wasm_f32x4_make(a, b, c, d));
#else
    Store(p, a);
    Store(p + 4, b);
    Store(p + 8, c);
    Store(p + 12, d);
#endif
  }

  std::unique_ptr<uint8_t[]> bytes_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  uint32_t count_ = 0;
};

}  // namespace ws::ui
