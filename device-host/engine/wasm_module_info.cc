#include "device-host/engine/wasm_module_info.h"

#include <algorithm>

#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"

namespace ws::host {
namespace {

constexpr uint8_t kSimdPrefix = 0xfd;
constexpr uint8_t kAtomicsPrefix = 0xfe;
constexpr uint64_t kMaxPages32 = 65536;

class InfoReader : public wabt::BinaryReaderNop {
 public:
  explicit InfoReader(WasmModuleInfo* info) : info_(info) {}

  bool OnError(const wabt::Error& error) override {
    if (error_.empty()) error_ = error.message + " (at byte " + std::to_string(error.loc.offset) + ")";
    return true;
  }
  const std::string& error() const { return error_; }

  wabt::Result OnFuncType(wabt::Index, wabt::Index param_count, wabt::Type* params, wabt::Index result_count,
                          wabt::Type* results) override {
    FuncSig sig;
    Convert(params, param_count, &sig.params, &sig);
    Convert(results, result_count, &sig.results, &sig);
    types_.push_back(std::move(sig));
    return wabt::Result::Ok;
  }

  wabt::Result OnImportFunc(wabt::Index, std::string_view module, std::string_view name, wabt::Index,
                            wabt::Index sig_index) override {
    info_->imports.push_back({std::string(module), std::string(name), true, "function", Sig(sig_index)});
    func_sigs_.push_back(sig_index);
    return wabt::Result::Ok;
  }
  wabt::Result OnImportTable(wabt::Index, std::string_view module, std::string_view name, wabt::Index,
                             wabt::Type, const wabt::Limits*) override {
    return OtherImport(module, name, "table");
  }
  wabt::Result OnImportMemory(wabt::Index, std::string_view module, std::string_view name, wabt::Index,
                              const wabt::Limits* limits) override {
    if (!info_->memory.present) SetMemory(*limits, /*imported=*/true);
    return OtherImport(module, name, "memory");
  }
  wabt::Result OnImportGlobal(wabt::Index, std::string_view module, std::string_view name, wabt::Index,
                              wabt::Type type, bool) override {
    NoteType(type);
    return OtherImport(module, name, "global");
  }
  wabt::Result OnImportTag(wabt::Index, std::string_view module, std::string_view name, wabt::Index,
                           wabt::Index) override {
    return OtherImport(module, name, "tag");
  }

  wabt::Result OnFunction(wabt::Index, wabt::Index sig_index) override {
    func_sigs_.push_back(sig_index);
    return wabt::Result::Ok;
  }
  wabt::Result OnMemory(wabt::Index, const wabt::Limits* limits) override {
    if (!info_->memory.present) SetMemory(*limits, /*imported=*/false);
    return wabt::Result::Ok;
  }
  wabt::Result BeginGlobal(wabt::Index, wabt::Type type, bool) override {
    NoteType(type);
    return wabt::Result::Ok;
  }
  wabt::Result OnExport(wabt::Index, wabt::ExternalKind kind, wabt::Index item,
                        std::string_view name) override {
    ExportInfo out{
        std::string(name), kind == wabt::ExternalKind::Func, kind == wabt::ExternalKind::Memory, item, {}};
    if (out.is_function) out.sig = item < func_sigs_.size() ? Sig(func_sigs_[item]) : FuncSig{};
    info_->exports.push_back(std::move(out));
    return wabt::Result::Ok;
  }
  wabt::Result OnLocalDecl(wabt::Index, wabt::Index, wabt::Type type) override {
    NoteType(type);
    return wabt::Result::Ok;
  }
  wabt::Result OnOpcode(wabt::Opcode opcode) override {
    if (opcode.GetPrefix() == kSimdPrefix) simd_ = true;
    if (opcode.GetPrefix() == kAtomicsPrefix) threads_ = true;
    return wabt::Result::Ok;
  }
  wabt::Result OnOpcodeBlockSig(wabt::Type type) override {
    NoteType(type);
    return wabt::Result::Ok;
  }

  void Finish() {
    if (simd_) info_->unsupported.push_back("SIMD instructions");
    if (threads_) info_->unsupported.push_back("threads (shared memory, atomics)");
    if (info_->memory.is_64) info_->unsupported.push_back("64-bit memory");
  }

 private:
  void Convert(const wabt::Type* types, wabt::Index count, std::vector<ValueType>* out, FuncSig* sig) {
    for (wabt::Index i = 0; i < count; ++i) {
      NoteType(types[i]);
      ValueType v{};
      sig->representable = HostValueType(types[i], &v) && sig->representable;
      out->push_back(v);
    }
  }
  void NoteType(wabt::Type type) {
    if (type == wabt::Type::V128) simd_ = true;
  }
  FuncSig Sig(wabt::Index index) const {
    return index < types_.size() ? types_[index] : FuncSig{{}, {}, false};
  }
  wabt::Result OtherImport(std::string_view module, std::string_view name, const char* kind) {
    info_->imports.push_back({std::string(module), std::string(name), false, kind, {}});
    return wabt::Result::Ok;
  }
  void SetMemory(const wabt::Limits& limits, bool imported) {
    MemoryInfo& memory = info_->memory;
    memory.present = true;
    memory.imported = imported;
    memory.initial_pages = limits.initial;
    memory.max_pages = limits.has_max ? std::min(limits.max, kMaxPages32) : kMaxPages32;
    memory.is_64 = limits.is_64;
    if (limits.is_shared) threads_ = true;
  }

  WasmModuleInfo* info_;
  std::vector<FuncSig> types_;
  std::vector<wabt::Index> func_sigs_;  // per function, imports first
  bool simd_ = false;
  bool threads_ = false;
  std::string error_;
};

}  // namespace

bool HostValueType(wabt::Type type, ValueType* out) {
  switch (type) {
    case wabt::Type::I32: *out = ValueType::kI32; return true;
    case wabt::Type::I64: *out = ValueType::kI64; return true;
    case wabt::Type::F32: *out = ValueType::kF32; return true;
    case wabt::Type::F64: *out = ValueType::kF64; return true;
    default: return false;
  }
}

Result<WasmModuleInfo> ReadWasmModuleInfo(std::span<const uint8_t> wasm) {
  WasmModuleInfo info;
  InfoReader reader(&info);
  wabt::Features features;
  features.EnableAll();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinary(wasm.data(), wasm.size(), &reader, options))) {
    std::string why = reader.error().empty() ? "unreadable" : reader.error();
    return Error{"invalid wasm module: " + why};
  }
  reader.Finish();
  return info;
}

}  // namespace ws::host
