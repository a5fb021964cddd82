// The fixed part of the aot glue (C, compiled into every module's shared
// object). See GlueRuntimeSource() for how traps, host traps, the watchdog,
// stack exhaustion and the memory cap work.
#include "device-host/engine/aot_glue_runtime.h"

#include "device-host/engine/engine_common.h"

namespace ws::host {

static_assert(kMaxCallDepth == 1638, "update WS_MAX_CALL_DEPTH in RuntimeConfigText()");

const char* RuntimeConfigText() {
  return R"c(/* wasmship: wasm-rt configuration, force-included in every C file. */
#ifndef WS_RT_CONFIG_H_
#define WS_RT_CONFIG_H_
/* No SIGSEGV handler: it would turn any crash of the host process into a
   wasm trap. Memory accesses are bounds-checked instead. */
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0
#define WASM_RT_USE_STACK_DEPTH_COUNT 1
/* wasm2c's prologue traps when ++depth > WASM_RT_MAX_CALL_STACK_DEPTH. The
   limit is the interpreter's call depth (kMaxCallDepth) while the frame is
   above ws_stack_limit on the real native stack, and 0 (trap) below it. */
extern char* ws_stack_limit __attribute__((visibility("hidden")));
#define WS_MAX_CALL_DEPTH 1638u
#define WASM_RT_MAX_CALL_STACK_DEPTH \
  ((char*)__builtin_frame_address(0) > ws_stack_limit ? WS_MAX_CALL_DEPTH : 0u)
/* Signed division overflow, told apart from truncation overflow. */
#define WS_TRAP_DIV_OVERFLOW (wasm_rt_trap((wasm_rt_trap_t)102), 0)
#endif
)c";
}

// Mechanism, in short:
// * Traps: every entry (instantiate, call) runs under wasm_rt_impl_try();
//   wasm_rt_trap() longjmps back with the trap code. The previous jump
//   buffer and depth counters are saved and restored, so a host function
//   may call back into wasm.
// * Host traps: the import trampoline calls the host's dispatch function;
//   when it reports a trap, the trampoline calls wasm_rt_trap(100).
// * Watchdog: the host arms a timer that signals this thread; its handler
//   calls ws_glue_watchdog_fired(), which siglongjmps to the sigsetjmp in
//   ws_protected(). While host code or the allocator runs (ws_critical > 0)
//   the jump would skip C++ frames or leave malloc locked, so it is only
//   recorded and taken when control is back in wasm code.
// * Memory cap: wasm_rt_allocate_memory/grow_memory are wrapped; the cap
//   lowers the memory's max_pages and a grow refused because of it is
//   remembered for the trap that usually follows (kMemoryLimit).
const char* GlueRuntimeSource() {
  return R"c(
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* wasm-rt, with the functions that allocate renamed: the wrappers below
   keep the watchdog from jumping out of malloc and apply the memory cap. */
#define wasm_rt_allocate_memory ws_rt_allocate_memory_impl
#define wasm_rt_grow_memory ws_rt_grow_memory_impl
#define wasm_rt_grow_funcref_table ws_rt_grow_funcref_table_impl
#define wasm_rt_grow_externref_table ws_rt_grow_externref_table_impl
#include "wasm-rt-impl.c"
#undef wasm_rt_allocate_memory
#undef wasm_rt_grow_memory
#undef wasm_rt_grow_funcref_table
#undef wasm_rt_grow_externref_table

#define WS_EXPORT __attribute__((visibility("default")))

typedef int (*ws_dispatch_fn)(void* host, uint32_t import_index, const uint64_t* args,
                              uint64_t* results);

typedef struct ws_ctx {
  WS_INSTANCE instance;
  void* host;
  ws_dispatch_fn dispatch;
  uint32_t cap_pages;          /* 0: no cap */
  uint32_t declared_max_pages; /* memory 0's own limit */
  int memory_limit_hit;
  int instantiated;
} ws_ctx;

char* ws_stack_limit;
static ws_ctx* volatile ws_current;
static volatile sig_atomic_t ws_critical;
static volatile sig_atomic_t ws_watchdog_pending;
static sigjmp_buf* volatile ws_watchdog_target;

static inline uint64_t ws_f32_bits(f32 v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static inline uint64_t ws_f64_bits(f64 v) { uint64_t b; memcpy(&b, &v, 8); return b; }
static inline f32 ws_bits_f32(uint64_t b) { uint32_t l = (uint32_t)b; f32 v; memcpy(&v, &l, 4); return v; }
static inline f64 ws_bits_f64(uint64_t b) { f64 v; memcpy(&v, &b, 8); return v; }

static void ws_watchdog_check(void) {
  if (ws_watchdog_pending && ws_critical == 0 && ws_watchdog_target != NULL) {
    ws_watchdog_pending = 0;
    siglongjmp(*ws_watchdog_target, 1);
  }
}

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial, uint32_t max) {
  ws_ctx* ctx = ws_current;
  if (ctx != NULL && memory == WS_MEMORY(&ctx->instance)) {
    ctx->declared_max_pages = max;
    if (ctx->cap_pages != 0 && max > ctx->cap_pages) max = ctx->cap_pages;
  }
  ws_critical++;
  ws_rt_allocate_memory_impl(memory, initial, max);
  ws_critical--;
  if (memory->data == NULL && initial > 0) wasm_rt_trap((wasm_rt_trap_t)WS_TRAP_OUT_OF_MEMORY);
  ws_watchdog_check();
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t delta) {
  uint64_t wanted = (uint64_t)memory->pages + delta;
  uint32_t result = (uint32_t)-1;
  /* 65536 pages would overflow wasm-rt's 32-bit byte size. */
  if (wanted < 65536u) {
    ws_critical++;
    result = ws_rt_grow_memory_impl(memory, delta);
    ws_critical--;
  }
  ws_ctx* ctx = ws_current;
  if (result == (uint32_t)-1 && delta != 0 && ctx != NULL &&
      memory == WS_MEMORY(&ctx->instance) && ctx->cap_pages != 0 &&
      wanted > ctx->cap_pages && ctx->declared_max_pages >= ctx->cap_pages) {
    ctx->memory_limit_hit = 1;
  }
  ws_watchdog_check();
  return result;
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, uint32_t delta,
                                    wasm_rt_funcref_t init) {
  ws_critical++;
  uint32_t result = ws_rt_grow_funcref_table_impl(table, delta, init);
  ws_critical--;
  ws_watchdog_check();
  return result;
}

uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, uint32_t delta,
                                      wasm_rt_externref_t init) {
  ws_critical++;
  uint32_t result = ws_rt_grow_externref_table_impl(table, delta, init);
  ws_critical--;
  ws_watchdog_check();
  return result;
}

static void ws_dispatch(void* self, uint32_t index, const uint64_t* args, uint64_t* results) {
  ws_ctx* ctx = (ws_ctx*)self;
  ws_critical++;
  int trapped = ctx->dispatch(ctx->host, index, args, results);
  ws_critical--;
  if (trapped) wasm_rt_trap((wasm_rt_trap_t)WS_TRAP_HOST);
  ws_watchdog_check();
}

static void ws_call_export(WS_INSTANCE* in, uint32_t index, const uint64_t* a, uint64_t* r);

typedef struct ws_job {
  ws_ctx* ctx;
  uint32_t export_index; /* UINT32_MAX: instantiate */
  const uint64_t* args;
  uint64_t* results;
} ws_job;

static void ws_run(ws_job* job) {
  if (job->export_index == UINT32_MAX) {
    job->ctx->instantiated = 1; /* ws_app_free copes with a partial instance */
    WS_INSTANTIATE(&job->ctx->instance, job->ctx);
  } else {
    ws_call_export(&job->ctx->instance, job->export_index, job->args, job->results);
  }
}

static int ws_protected(ws_job* job, int watchdog, char* stack_limit) {
  jmp_buf saved_trap;
  sigjmp_buf watchdog_jmp;
  memcpy(saved_trap, wasm_rt_jmp_buf, sizeof(jmp_buf));
  uint32_t saved_depth = wasm_rt_call_stack_depth;
  uint32_t saved_trap_depth = wasm_rt_saved_call_stack_depth;
  char* saved_limit = ws_stack_limit;
  ws_ctx* saved_current = ws_current;
  sigjmp_buf* saved_target = ws_watchdog_target;
  sig_atomic_t saved_critical = ws_critical;
  volatile int code = 0;

  if (watchdog) {
    if (sigsetjmp(watchdog_jmp, 1) != 0) {
      code = WS_TRAP_WATCHDOG;
      goto done;
    }
    ws_watchdog_pending = 0;
    ws_critical = 0;
    ws_watchdog_target = &watchdog_jmp;
  }
  ws_stack_limit = stack_limit != NULL ? stack_limit : (char*)__builtin_frame_address(0) - (512 << 10);
  /* Each call counts its depth from 0, like the interpreter's fresh thread
     for a call, nested ones too. */
  wasm_rt_call_stack_depth = 0;
  ws_current = job->ctx;
  code = wasm_rt_impl_try();
  if (code == 0) ws_run(job);
done:
  ws_critical = 1; /* from here on a late watchdog signal only records */
  if (watchdog) {
    ws_watchdog_target = saved_target;
    ws_watchdog_pending = 0;
  }
  ws_critical = saved_critical;
  ws_current = saved_current;
  ws_stack_limit = saved_limit;
  wasm_rt_call_stack_depth = saved_depth;
  wasm_rt_saved_call_stack_depth = saved_trap_depth;
  memcpy(wasm_rt_jmp_buf, saved_trap, sizeof(jmp_buf));
  return code;
}

WS_EXPORT const char* ws_glue_version(void) { return WS_GLUE_VERSION; }

WS_EXPORT void ws_glue_init(void) {
  static int done = 0;
  if (!done) {
    done = 1;
    wasm_rt_init();
    WS_INIT_MODULE();
  }
}

WS_EXPORT void* ws_glue_create(void* host, ws_dispatch_fn dispatch, uint32_t cap_pages) {
  ws_ctx* ctx = (ws_ctx*)calloc(1, sizeof(ws_ctx));
  if (ctx != NULL) {
    ctx->host = host;
    ctx->dispatch = dispatch;
    ctx->cap_pages = cap_pages;
    ctx->declared_max_pages = 65536u;
  }
  return ctx;
}

WS_EXPORT int ws_glue_instantiate(void* ctx, int watchdog, char* stack_limit) {
  ws_job job = {(ws_ctx*)ctx, UINT32_MAX, NULL, NULL};
  return ws_protected(&job, watchdog, stack_limit);
}

WS_EXPORT void ws_glue_destroy(void* opaque) {
  ws_ctx* ctx = (ws_ctx*)opaque;
  if (ctx->instantiated) WS_FREE(&ctx->instance);
  free(ctx);
}

WS_EXPORT int ws_glue_call(void* ctx, uint32_t index, const uint64_t* args, uint64_t* results,
                           int watchdog, char* stack_limit) {
  ws_job job = {(ws_ctx*)ctx, index, args, results};
  return ws_protected(&job, watchdog, stack_limit);
}

WS_EXPORT uint8_t* ws_glue_memory(void* opaque, uint64_t* size) {
  ws_ctx* ctx = (ws_ctx*)opaque;
  wasm_rt_memory_t* memory = WS_MEMORY(&ctx->instance);
  *size = memory != NULL ? memory->size : 0;
  return memory != NULL ? memory->data : NULL;
}

WS_EXPORT int ws_glue_take_memory_limit_hit(void* opaque) {
  ws_ctx* ctx = (ws_ctx*)opaque;
  int hit = ctx->memory_limit_hit;
  ctx->memory_limit_hit = 0;
  return hit;
}

/* Called from the host's signal handler on the thread that runs wasm. */
WS_EXPORT void ws_glue_watchdog_fired(void) {
  if (ws_watchdog_target == NULL) return;
  if (ws_critical > 0) {
    ws_watchdog_pending = 1;
    return;
  }
  siglongjmp(*ws_watchdog_target, 1);
}
)c";
}

}  // namespace ws::host
