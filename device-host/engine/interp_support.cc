#include "device-host/engine/interp_support.h"

#include <vector>

#include "device-host/engine/wabt_access.h"
#include "device-host/engine/wasm_module_info.h"

namespace ws::host {

namespace wi = wabt::interp;
namespace wa = wabt_access;

FuncSig SigOf(const wi::FuncType& type) {
  FuncSig sig;
  auto convert = [&sig](const wi::ValueTypes& from, std::vector<ValueType>* to) {
    for (wabt::Type t : from) {
      ValueType v{};
      sig.representable = sig.representable && HostValueType(t, &v);
      to->push_back(v);
    }
  };
  convert(type.params, &sig.params);
  convert(type.results, &sig.results);
  return sig;
}

wi::Value ToWabt(const Value& v) {
  switch (v.type) {
    case ValueType::kI32: return wi::Value::Make(static_cast<wi::s32>(v.i32));
    case ValueType::kI64: return wi::Value::Make(static_cast<wi::s64>(v.i64));
    case ValueType::kF32: return wi::Value::Make(v.f32);
    case ValueType::kF64: return wi::Value::Make(v.f64);
  }
  return {};
}

Value FromWabt(const wi::Value& v, ValueType type) {
  switch (type) {
    case ValueType::kI32: return Value::I32(v.Get<wi::s32>());
    case ValueType::kI64: return Value::I64(v.Get<wi::s64>());
    case ValueType::kF32: return Value::F32(v.Get<wi::f32>());
    case ValueType::kF64: return Value::F64(v.Get<wi::f64>());
  }
  return {};
}

ImportRequest RequestOf(const wi::ImportDesc& import) {
  ImportRequest request{import.type.module, import.type.name, true, "function", {}};
  const wi::ExternType& type = *import.type.type;
  request.is_function = type.kind == wabt::ExternalKind::Func;
  request.kind_name = wabt::GetKindName(type.kind);
  if (request.is_function) request.sig = SigOf(static_cast<const wi::FuncType&>(type));
  return request;
}

namespace {

// The opcode of the instruction that just trapped: the top frame's offset
// is already past it, so decode the function from its start.
wabt::Opcode TrappingOpcode(wi::Store& store, const wi::Thread& thread) {
  const std::vector<wi::Frame>& frames = wa::Frames(thread);
  if (frames.empty() || frames.back().mod == nullptr) return wabt::Opcode::Invalid;
  const wi::Frame& frame = frames.back();
  wi::DefinedFunc::Ptr func = store.UnsafeGet<wi::DefinedFunc>(frame.func);
  const wi::Istream& istream = frame.mod->desc().istream;
  wabt::Opcode last = wabt::Opcode::Invalid;
  for (wi::Istream::Offset at = func->desc().code_offset; at < frame.offset;) {
    last = istream.Read(&at).op;
  }
  return last;
}

bool Contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

TrapKind KindOfTrap(const std::string& message, wi::Store& store, const wi::Thread& thread) {
  if (Contains(message, "unreachable")) return TrapKind::kUnreachable;
  if (Contains(message, "out of bounds")) return TrapKind::kOutOfBounds;
  if (Contains(message, "exhausted")) return TrapKind::kStackExhausted;
  if (Contains(message, "divide by zero")) return TrapKind::kIntegerDivide;
  if (Contains(message, "invalid conversion")) return TrapKind::kConversion;
  // wabt says "integer overflow" both for INT_MIN / -1 and for a float
  // truncation out of range; the instruction tells them apart.
  if (Contains(message, "integer overflow")) {
    bool division = Contains(TrappingOpcode(store, thread).GetName(), "div");
    return division ? TrapKind::kIntegerDivide : TrapKind::kConversion;
  }
  if (Contains(message, "indirect call") || Contains(message, "table index") ||
      Contains(message, "uninitialized table element")) {
    return TrapKind::kIndirectCall;
  }
  return TrapKind::kOther;
}

}  // namespace ws::host
