// What the interp engine converts between wabt's interpreter and the host
// (signatures, values, import requests) and how it names a wabt trap's
// kind. Split from interp_engine.cc to keep that file to the instance.
#pragma once

#include <string>

#include "device-host/engine/engine.h"
#include "device-host/engine/engine_common.h"
#include "wabt/interp/interp.h"

namespace ws::host {

FuncSig SigOf(const wabt::interp::FuncType& type);
wabt::interp::Value ToWabt(const Value& v);
Value FromWabt(const wabt::interp::Value& v, ValueType type);
ImportRequest RequestOf(const wabt::interp::ImportDesc& import);

// The kind of the trap `message` that ended `thread` (whose frames are as
// the trap left them).
TrapKind KindOfTrap(const std::string& message, wabt::interp::Store& store,
                    const wabt::interp::Thread& thread);

}  // namespace ws::host
