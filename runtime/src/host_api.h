// The host's services as the runtime calls them (docs/host-abi.md,
// "Imports"). On wasm32 these are the `ws_host` imports (host_imports.cc);
// native unit tests link a fake host instead (runtime/testing/).
#pragma once

#include <cstdint>

namespace ws::host_api {

void Submit(const uint8_t* data, uint32_t len);
int64_t MeasureText(const char* text, uint32_t len, float size_px);
int32_t Fetch(const char* url, uint32_t len);
void Log(int32_t level, const char* text, uint32_t len);
double NowMs();
int32_t SpawnWorker(int32_t arg);
void Trace(int32_t event, int32_t arg);  // only while trace::enabled (src/trace.h)
void MarkGood();  // imported only by apps that call ws::mark_good()

}  // namespace ws::host_api
