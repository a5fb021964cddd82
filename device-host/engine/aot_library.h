// Compiled aot modules: built once with wasm2c and the host C compiler,
// kept in a cache directory, dlopen'ed in-process.
//
// The compile is an action of the action cache (action-cache/, under
// EngineOptions::cache_dir): its output, the module, its glue and wasm-rt
// as one shared object, is a cas/ blob, verified and dlopen'ed from there.
//   aot/<key>.lock   serializes processes that build the same module
//   aot/tmp-<key>-<pid>-<n>/   a build's scratch directory (removed after)
// <key> hashes the wasm bytes with kGlueVersion and the identity (path,
// size, mtime) of wasm2c, cc and the wasm-rt sources, so that an upgrade of
// any of them rebuilds. Blobs are written to a temporary file and renamed
// into place, so a reader never sees half an object.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "device-host/engine/wasm_module_info.h"

namespace ws::host {

using GlueDispatchFn = int (*)(void* host, uint32_t import_index, const uint64_t* args, uint64_t* results);

// The glue's entry points (aot_glue_runtime.cc).
struct GlueApi {
  const char* (*version)() = nullptr;
  void (*init)() = nullptr;
  void* (*create)(void* host, GlueDispatchFn dispatch, uint32_t cap_pages) = nullptr;
  int (*instantiate)(void* ctx, int watchdog, char* stack_limit) = nullptr;
  void (*destroy)(void* ctx) = nullptr;
  int (*call)(void* ctx, uint32_t export_index, const uint64_t* args, uint64_t* results, int watchdog,
              char* stack_limit) = nullptr;
  uint8_t* (*memory)(void* ctx, uint64_t* size) = nullptr;
  int (*take_memory_limit_hit)(void* ctx) = nullptr;
  void (*watchdog_fired)() = nullptr;
};

class AotLibrary {
 public:
  static Result<std::shared_ptr<AotLibrary>> Open(const std::string& path);
  ~AotLibrary();
  AotLibrary(const AotLibrary&) = delete;
  AotLibrary& operator=(const AotLibrary&) = delete;

  const GlueApi& api() const { return api_; }
  // The glue keeps its trap state in globals of the object: one thread at
  // a time. Recursive, because a host function may call back into wasm.
  std::recursive_mutex& mutex() { return mutex_; }

 private:
  AotLibrary() = default;
  void* handle_ = nullptr;
  GlueApi api_;
  std::recursive_mutex mutex_;
};

// The module's object, loaded once per process and shared by its
// instances; compiled first when the cache does not hold a usable one.
Result<std::shared_ptr<AotLibrary>> LoadAotLibrary(std::span<const uint8_t> wasm, const WasmModuleInfo& info,
                                                   const std::string& cache_dir);

}  // namespace ws::host
