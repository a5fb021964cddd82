// The module's exports (host-abi/host_abi.h): the host drives the app
// through these. Only meaningful in the wasm32 build.
#ifdef __wasm__

#include <cstdint>
#include <cstdlib>
#include <string>

#include "host-abi/host_abi.h"
#include "src/app.h"
#include "src/compact_heap.h"
#include "src/resources.h"
#include "src/trace.h"
#include "wasmship/app.hpp"
#ifdef WS_HOT_RELOAD
#include "src/hot_reload.h"
#endif

// An export's C name is its ABI name.
#define WS_EXPORT(name) __attribute__((export_name(#name)))
// Fails to compile unless ws::host_abi::kExports has `name` with this C type.
#define WS_CHECK_EXPORT(name) \
  static_assert(ws::host_abi::FindExport(#name) != nullptr && \
                    ws::host_abi::SignatureOf<decltype(name)>() == ws::host_abi::FindExport(#name)->signature, \
                #name " does not match host-abi/host_abi.h")

#ifdef WS_PREINIT
// wasm-ld: the end of static data. In its default layout ([data][stack][heap])
// the stack's lowest possible byte.
extern "C" unsigned char __data_end;

namespace {

// Zeroes the stack below this call's frame: once start-up has returned only
// dead frames are there, and the snapshot the build takes next would carry
// them as data (the snapshot writer cannot tell the stack from .bss). Not
// inlined, so that the caller's frame is above this one's; the margin
// keeps this frame and memset's clear.
[[gnu::noinline]] void ZeroDeadStack() {
  constexpr uintptr_t kMargin = 512;
  volatile unsigned char here = 0;
  uintptr_t top = reinterpret_cast<uintptr_t>(&here);
  uintptr_t bottom = reinterpret_cast<uintptr_t>(&__data_end);
  if (bottom + kMargin < top) __builtin_memset(&__data_end, 0, top - kMargin - bottom);  // else: stack-first layout
}

}  // namespace
#endif  // WS_PREINIT

#ifdef WS_HOT_RELOAD
namespace {
// What ws_state_save and ws_state_info return: a u32 length, then the bytes;
// valid until the next call into the module.
int32_t Returned(const std::string& bytes) {
  static std::string buffer;
  buffer.clear();
  ws::state::PutU32(buffer, static_cast<uint32_t>(bytes.size()));
  buffer += bytes;
  return static_cast<int32_t>(reinterpret_cast<uintptr_t>(buffer.data()));
}
}  // namespace

#endif

extern "C" {

WS_EXPORT(ws_abi_version) int32_t ws_abi_version() { return ws::host_abi::kVersion; }

WS_EXPORT(ws_init) int32_t ws_init(int32_t width, int32_t height) {
#ifdef WS_PREINIT
  if (ws::ui::ResumePreinit(width, height)) return 0;  // built at build time (ws_preinit)
#endif
  return ws::ui::StartApp(width, height, [] { return ws_app_root(); });
}

#ifdef WS_PREINIT
// Pre-initialization (host_abi.h, docs/preinit.md): `preinit: true` builds
// only. The build calls it once, then snapshots memory.
WS_EXPORT(ws_preinit) int32_t ws_preinit(int32_t width, int32_t height) {
  int32_t done = ws::ui::PreinitApp(width, height, [] { return ws_app_root(); });
  if (done == 0) ws::alloc::ScrubFreedMemory();  // the snapshot follows
  ZeroDeadStack();
  return done;
}
#endif  // WS_PREINIT

WS_EXPORT(ws_frame) int32_t ws_frame(double now_ms) { return ws::ui::RunFrame(now_ms); }

WS_EXPORT(ws_input) int32_t ws_input(int32_t kind, int32_t key) { return ws::ui::QueueInput(kind, key); }

WS_EXPORT(ws_fetch_done) void ws_fetch_done(int32_t request, int32_t status, int32_t ptr, int32_t len) {
  char* data = reinterpret_cast<char*>(static_cast<uintptr_t>(ptr));
  std::string body;
  if (data != nullptr && len > 0) body.assign(data, static_cast<size_t>(len));
  std::free(data);  // the host allocated it with ws_alloc; the app owns it
  ws::ui::QueueFetchCompletion(request, status, std::move(body));
}

#ifdef WS_TRACE
// The trace hooks (host_abi.h): the host turns them on before ws_init.
WS_EXPORT(ws_trace_enable) void ws_trace_enable(int32_t on) { ws::trace::enabled = on != 0; }
#endif

WS_EXPORT(ws_alloc) int32_t ws_alloc(int32_t size) {
  return static_cast<int32_t>(reinterpret_cast<uintptr_t>(std::malloc(static_cast<size_t>(size))));
}

WS_EXPORT(ws_free) void ws_free(int32_t ptr) { std::free(reinterpret_cast<void*>(static_cast<uintptr_t>(ptr))); }

#ifdef WS_HOT_RELOAD
// The hot reload extension (host_abi.h, docs/hot-reload.md): debug builds.
WS_EXPORT(ws_hot_reload_version) int32_t ws_hot_reload_version() { return ws::host_abi::kHotReloadVersion; }

WS_EXPORT(ws_state_save) int32_t ws_state_save() { return Returned(ws::hot_reload::SaveState()); }

// The bytes stay the host's: it frees them (ws_free) after the call.
WS_EXPORT(ws_state_restore) int32_t ws_state_restore(int32_t ptr, int32_t len) {
  const char* data = reinterpret_cast<const char*>(static_cast<uintptr_t>(ptr));
  if (len < 0 || (data == nullptr && len > 0)) return 1;
  std::string_view bytes(data != nullptr ? data : "", static_cast<size_t>(len));
  return ws::hot_reload::RestoreState(bytes) ? 0 : 1;
}

WS_EXPORT(ws_state_info) int32_t ws_state_info() { return Returned(ws::hot_reload::StateInfoJson()); }
#endif  // WS_HOT_RELOAD

}  // extern "C"

WS_CHECK_EXPORT(ws_abi_version);
WS_CHECK_EXPORT(ws_init);
#ifdef WS_PREINIT
WS_CHECK_EXPORT(ws_preinit);
#endif
WS_CHECK_EXPORT(ws_frame);
WS_CHECK_EXPORT(ws_input);
WS_CHECK_EXPORT(ws_fetch_done);
#ifdef WS_TRACE
WS_CHECK_EXPORT(ws_trace_enable);
#endif
WS_CHECK_EXPORT(ws_alloc);
WS_CHECK_EXPORT(ws_free);
#ifdef WS_HOT_RELOAD
WS_CHECK_EXPORT(ws_hot_reload_version);
WS_CHECK_EXPORT(ws_state_save);
WS_CHECK_EXPORT(ws_state_restore);
WS_CHECK_EXPORT(ws_state_info);
#endif

#endif  // __wasm__
