// Encodes draw commands in the format of docs/host-abi.md ("Draw list").
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace ws::ui {

class DrawListWriter {
 public:
  void Begin() {
    bytes_.clear();
    count_ = 0;
    Put<uint32_t>(0x4C445357u);  // "WSDL"
    Put<uint32_t>(0);            // command count, patched by Finish()
  }
  void Rect(float x, float y, float w, float h, uint32_t rgba, float radius) {
    Op(1);
    Floats(x, y, w, h);
    Put(rgba);
    Put(radius);
  }
  void Image(float x, float y, float w, float h, int32_t image, float opacity) {
    Op(2);
    Floats(x, y, w, h);
    Put(image);
    Put(opacity);
  }
  void Text(float x, float y, float size, uint32_t rgba, std::string_view text) {
    Op(3);
    Floats(x, y, size);
    Put(rgba);
    Put(static_cast<uint32_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }
  void PushClip(float x, float y, float w, float h) {
    Op(4);
    Floats(x, y, w, h);
  }
  void PopClip() { Op(5); }
  void PushOpacity(float alpha) {
    Op(6);
    Put(alpha);
  }
  void PopOpacity() { Op(7); }
  void PushTransform(float a, float b, float c, float d, float e, float f) {
    Op(8);
    Floats(a, b, c, d, e, f);
  }
  void PopTransform() { Op(9); }

  // Patches the count; the bytes are then ready to submit.
  const std::vector<uint8_t>& Finish() {
    std::memcpy(bytes_.data() + 4, &count_, sizeof count_);
    return bytes_;
  }
  uint32_t count() const { return count_; }

 private:
  void Op(uint8_t op) {
    bytes_.push_back(op);
    ++count_;
  }
  template <typename T>
  void Put(T v) {
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));  // wasm32 and x86-64 are little-endian
    bytes_.insert(bytes_.end(), raw, raw + sizeof(T));
  }
  template <typename... F>
  void Floats(F... v) {
    (Put(static_cast<float>(v)), ...);
  }

  std::vector<uint8_t> bytes_;
  uint32_t count_ = 0;
};

}  // namespace ws::ui
