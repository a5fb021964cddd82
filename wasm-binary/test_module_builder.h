// Builds small wasm binaries byte by byte for this folder's tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ws::wasm::testing {

class ModuleBuilder {
 public:
  // Returns the type index.
  uint32_t Type(std::vector<uint8_t> params, std::vector<uint8_t> results) {
    types_.push_back(0x60);
    Vec(types_, params);
    Vec(types_, results);
    return type_count_++;
  }
  void ImportFunction(const std::string& module, const std::string& name, uint32_t type) {
    Name(imports_, module);
    Name(imports_, name);
    imports_.push_back(0);
    Leb(imports_, type);
    ++import_count_;
    ++imported_functions_;
  }
  // A function with an empty body (just `end`, plus `unreachable` for results).
  uint32_t Function(uint32_t type, std::vector<uint8_t> body = {0x00, 0x0B}) {
    Leb(functions_, type);
    std::vector<uint8_t> code = {0x00};  // no locals
    code.insert(code.end(), body.begin(), body.end());
    Leb(code_, static_cast<uint32_t>(code.size()));
    code_.insert(code_.end(), code.begin(), code.end());
    return imported_functions_ + function_count_++;
  }
  void Export(const std::string& name, uint8_t kind, uint32_t index) {
    Name(exports_, name);
    exports_.push_back(kind);
    Leb(exports_, index);
    ++export_count_;
  }
  void Memory(uint32_t min) { memory_min_ = min; }
  void FunctionName(uint32_t index, const std::string& name) { names_.emplace_back(index, name); }

  std::vector<uint8_t> Build() const {
    std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    Section(out, 1, type_count_, types_);
    Section(out, 2, import_count_, imports_);
    Section(out, 3, function_count_, functions_);
    if (memory_min_ >= 0) {
      std::vector<uint8_t> mem = {0x00};
      Leb(mem, static_cast<uint32_t>(memory_min_));
      Section(out, 5, 1, mem);
    }
    Section(out, 7, export_count_, exports_);
    Section(out, 10, function_count_, code_);
    if (!names_.empty()) {
      std::vector<uint8_t> sub;
      Leb(sub, static_cast<uint32_t>(names_.size()));
      for (const auto& [index, name] : names_) {
        Leb(sub, index);
        Name(sub, name);
      }
      std::vector<uint8_t> payload;
      Name(payload, "name");
      payload.push_back(1);
      Leb(payload, static_cast<uint32_t>(sub.size()));
      payload.insert(payload.end(), sub.begin(), sub.end());
      out.push_back(0);
      Leb(out, static_cast<uint32_t>(payload.size()));
      out.insert(out.end(), payload.begin(), payload.end());
    }
    return out;
  }

 private:
  static void Leb(std::vector<uint8_t>& out, uint32_t v) {
    do {
      uint8_t b = v & 0x7F;
      v >>= 7;
      out.push_back(v ? (b | 0x80) : b);
    } while (v);
  }
  static void Name(std::vector<uint8_t>& out, const std::string& s) {
    Leb(out, static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  static void Vec(std::vector<uint8_t>& out, const std::vector<uint8_t>& items) {
    Leb(out, static_cast<uint32_t>(items.size()));
    out.insert(out.end(), items.begin(), items.end());
  }
  static void Section(std::vector<uint8_t>& out, uint8_t id, uint32_t count, const std::vector<uint8_t>& body) {
    if (count == 0) return;
    std::vector<uint8_t> payload;
    Leb(payload, count);
    payload.insert(payload.end(), body.begin(), body.end());
    out.push_back(id);
    Leb(out, static_cast<uint32_t>(payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
  }

  std::vector<uint8_t> types_, imports_, functions_, exports_, code_;
  std::vector<std::pair<uint32_t, std::string>> names_;
  uint32_t type_count_ = 0, import_count_ = 0, imported_functions_ = 0, function_count_ = 0, export_count_ = 0;
  int64_t memory_min_ = -1;
};

constexpr uint8_t kI32 = 0x7F, kI64 = 0x7E, kF32 = 0x7D, kF64 = 0x7C;

// A module with every export the host ABI requires.
inline ModuleBuilder AbiModule() {
  ModuleBuilder b;
  uint32_t v_v = b.Type({}, {});
  uint32_t v_i = b.Type({}, {kI32});
  uint32_t ii_i = b.Type({kI32, kI32}, {kI32});
  uint32_t d_i = b.Type({kF64}, {kI32});
  uint32_t iiii_v = b.Type({kI32, kI32, kI32, kI32}, {});
  uint32_t i_i = b.Type({kI32}, {kI32});
  uint32_t i_v = b.Type({kI32}, {});
  uint32_t unreachable_body_needed = 0;
  (void)unreachable_body_needed;
  b.Memory(1);
  b.Export("memory", 2, 0);
  b.Export("_initialize", 0, b.Function(v_v));
  b.Export("ws_abi_version", 0, b.Function(v_i, {0x41, 0x01, 0x0B}));
  b.Export("ws_init", 0, b.Function(ii_i, {0x41, 0x00, 0x0B}));
  b.Export("ws_frame", 0, b.Function(d_i, {0x41, 0x00, 0x0B}));
  b.Export("ws_input", 0, b.Function(ii_i, {0x41, 0x00, 0x0B}));
  b.Export("ws_fetch_done", 0, b.Function(iiii_v, {0x0B}));
  b.Export("ws_alloc", 0, b.Function(i_i, {0x41, 0x00, 0x0B}));
  b.Export("ws_free", 0, b.Function(i_v, {0x0B}));
  return b;
}

}  // namespace ws::wasm::testing
