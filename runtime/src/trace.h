// The runtime's side of the trace hooks (docs/host-abi.md, "Traces"): which
// system a frame is in, reported to the host only while it records.
#pragma once

#include <cstdint>

#include "host-abi/host_abi.h"
#include "wasmship/trace.hpp"

namespace ws::trace {

void ReportSystem(int32_t system);

// The frame enters `system` (ending the one before); kTraceNoSystem ends it.
inline void System([[maybe_unused]] host_abi::TraceSystem system) {
#ifdef WS_TRACE
  if (enabled) ReportSystem(system);
#endif
}

}  // namespace ws::trace
