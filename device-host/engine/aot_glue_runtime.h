// The fixed C text of the aot glue: the wasm-rt configuration header and
// the runtime part (trap recovery, watchdog, memory cap, entry points).
#pragma once

namespace ws::host {

// ws_rt_config.h, force-included (-include) into every C file of a module.
const char* RuntimeConfigText();
// Expects the generated prefix (WS_INSTANCE, WS_MEMORY, ...) before it.
const char* GlueRuntimeSource();

}  // namespace ws::host
