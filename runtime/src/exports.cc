// The module's exports (host-abi/host_abi.h): the host drives the app
// through these. Only meaningful in the wasm32 build.
#ifdef __wasm__

#include <cstdint>
#include <cstdlib>
#include <string>

#include "host-abi/host_abi.h"
#include "src/app.h"
#include "src/resources.h"
#include "wasmship/app.hpp"

// An export's C name is its ABI name.
#define WS_EXPORT(name) __attribute__((export_name(#name)))
// Fails to compile unless ws::host_abi::kExports has `name` with this C type.
#define WS_CHECK_EXPORT(name) \
  static_assert(ws::host_abi::FindExport(#name) != nullptr && \
                    ws::host_abi::SignatureOf<decltype(name)>() == ws::host_abi::FindExport(#name)->signature, \
                #name " does not match host-abi/host_abi.h")

extern "C" {

WS_EXPORT(ws_abi_version) int32_t ws_abi_version() { return ws::host_abi::kVersion; }

WS_EXPORT(ws_init) int32_t ws_init(int32_t width, int32_t height) {
  return ws::ui::StartApp(width, height, [] { return ws_app_root(); });
}

WS_EXPORT(ws_frame) int32_t ws_frame(double now_ms) { return ws::ui::RunFrame(now_ms); }

WS_EXPORT(ws_input) int32_t ws_input(int32_t kind, int32_t key) { return ws::ui::QueueInput(kind, key); }

WS_EXPORT(ws_fetch_done) void ws_fetch_done(int32_t request, int32_t status, int32_t ptr, int32_t len) {
  char* data = reinterpret_cast<char*>(static_cast<uintptr_t>(ptr));
  std::string body;
  if (data != nullptr && len > 0) body.assign(data, static_cast<size_t>(len));
  std::free(data);  // the host allocated it with ws_alloc; the app owns it
  ws::ui::QueueFetchCompletion(request, status, std::move(body));
}

WS_EXPORT(ws_alloc) int32_t ws_alloc(int32_t size) {
  return static_cast<int32_t>(reinterpret_cast<uintptr_t>(std::malloc(static_cast<size_t>(size))));
}

WS_EXPORT(ws_free) void ws_free(int32_t ptr) { std::free(reinterpret_cast<void*>(static_cast<uintptr_t>(ptr))); }

}  // extern "C"

WS_CHECK_EXPORT(ws_abi_version);
WS_CHECK_EXPORT(ws_init);
WS_CHECK_EXPORT(ws_frame);
WS_CHECK_EXPORT(ws_input);
WS_CHECK_EXPORT(ws_fetch_done);
WS_CHECK_EXPORT(ws_alloc);
WS_CHECK_EXPORT(ws_free);

#endif  // __wasm__
