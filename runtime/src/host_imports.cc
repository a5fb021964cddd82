// The `ws_host` imports (host-abi/host_abi.h), and the few WASI calls wasi-libc would otherwise
// import that the host ABI does not allow (docs/host-abi.md, "WASI").
#ifdef __wasm__

#include <cstdint>

#include "host-abi/host_abi.h"
#include "src/host_api.h"

#define WS_IMPORT(name) __attribute__((import_module(WS_ABI_HOST_MODULE), import_name(#name)))
// Fails to compile unless ws::host_abi::kImports has ws_host.`name` with the C
// type of ws_host_`name`.
#define WS_CHECK_IMPORT(name) \
  static_assert(ws::host_abi::FindImport(ws::host_abi::kHostModule, #name) != nullptr && \
                    ws::host_abi::SignatureOf<decltype(ws_host_##name)>() == \
                        ws::host_abi::FindImport(ws::host_abi::kHostModule, #name)->signature, \
                "ws_host." #name " does not match host-abi/host_abi.h")

extern "C" {
WS_IMPORT(submit) void ws_host_submit(const uint8_t* data, uint32_t len);
WS_IMPORT(measure_text) int64_t ws_host_measure_text(const char* text, uint32_t len, float size_px);
WS_IMPORT(fetch) int32_t ws_host_fetch(const char* url, uint32_t len);
WS_IMPORT(log) void ws_host_log(int32_t level, const char* text, uint32_t len);
WS_IMPORT(now_ms) double ws_host_now_ms();
WS_IMPORT(spawn_worker) int32_t ws_host_spawn_worker(int32_t arg);
#ifdef WS_TRACE
WS_IMPORT(trace) void ws_host_trace(int32_t event, int32_t arg);
#endif
WS_IMPORT(mark_good) void ws_host_mark_good();
}

WS_CHECK_IMPORT(submit);
WS_CHECK_IMPORT(measure_text);
WS_CHECK_IMPORT(fetch);
WS_CHECK_IMPORT(log);
WS_CHECK_IMPORT(now_ms);
WS_CHECK_IMPORT(spawn_worker);
#ifdef WS_TRACE
WS_CHECK_IMPORT(trace);
#endif
WS_CHECK_IMPORT(mark_good);

namespace ws::host_api {

void Submit(const uint8_t* data, uint32_t len) { ws_host_submit(data, len); }
int64_t MeasureText(const char* text, uint32_t len, float size_px) { return ws_host_measure_text(text, len, size_px); }
int32_t Fetch(const char* url, uint32_t len) { return ws_host_fetch(url, len); }
void Log(int32_t level, const char* text, uint32_t len) { ws_host_log(level, text, len); }
double NowMs() { return ws_host_now_ms(); }
int32_t SpawnWorker(int32_t arg) { return ws_host_spawn_worker(arg); }
void MarkGood() { ws_host_mark_good(); }
#ifdef WS_TRACE
void Trace(int32_t event, int32_t arg) { ws_host_trace(event, arg); }
#endif

}  // namespace ws::host_api

// wasi-libc's stdio asks for these. Defining the import symbols here keeps
// them out of the module's imports: stdout and stderr are character devices
// (so printf is line-buffered), nothing can be sought or closed.
extern "C" {

constexpr int32_t kErrnoBadf = 8;
constexpr int32_t kErrnoSpipe = 70;
constexpr uint8_t kFiletypeCharacterDevice = 2;

int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t fd, int32_t stat_ptr) {
  if (fd != 1 && fd != 2) return kErrnoBadf;
  uint8_t* stat = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(stat_ptr));
  for (int i = 0; i < 24; ++i) stat[i] = 0;  // fdstat: filetype, flags, rights (all zero)
  stat[0] = kFiletypeCharacterDevice;
  return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t, int64_t, int32_t, int32_t) { return kErrnoSpipe; }

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t) { return kErrnoBadf; }

}  // extern "C"

#endif  // __wasm__
