// The host ABI, version 1 (docs/host-abi.md): the one home of every fact
// both sides must agree on. The runtime (compiled to wasm32 by `wasmship
// build`) implements the app side; wasm-binary checks modules against it;
// device-host implements the host side; wasm-opt-passes and cli name its
// exports and imports. Header-only, constexpr, no dependencies beyond the
// standard library, so it compiles for wasm32 and natively alike.
//
// How to add an export (app → host):
//   1. declare `inline constexpr Export kExportFoo{"ws_foo", {params}, {results}}`
//      below and list it in kExports (kAlways, or kThreadsVariant when only
//      the threads variant has it);
//   2. define it in runtime/src/exports.cc with WS_EXPORT(ws_foo) and
//      WS_CHECK_EXPORT(ws_foo) (the static_assert ties its C type to the table);
//   3. call it from the host (device-host/run_session.cc) by kExportFoo.name.
//   wasm-binary's check requires it and the optimizer keeps it from then on.
// How to add an import (host → app, module ws_host):
//   1. declare `inline constexpr Import kImportFoo{kHostModule, "foo", ...}`
//      and list it in kImports; wasm-binary's check allows it from then on;
//   2. declare it in runtime/src/host_imports.cc with WS_IMPORT(foo) and
//      WS_CHECK_IMPORT(foo), and wrap it in runtime/src/host_api.h;
//   3. implement it in device-host/host_services.cc (HostServices::Imports
//      takes its signature from kImportFoo; a unit test checks that the host
//      provides every import of kImports).
// Then document it in docs/host-abi.md. A change to an existing signature or
// meaning is a new ABI version (kVersion), never an edit in place.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <type_traits>

// Attributes need string literals, so the runtime spells the import module
// with this macro; kHostModule is the same text.
#define WS_ABI_HOST_MODULE "ws_host"

namespace ws::host_abi {

// A module's ws_abi_version() returns it; devices and bundles name it.
inline constexpr int32_t kVersion = 1;

// Wasm value types, by their binary encoding.
enum class ValType : uint8_t { kI32 = 0x7F, kI64 = 0x7E, kF32 = 0x7D, kF64 = 0x7C };

// A short list of value types (a function's params or results).
class ValTypes {
 public:
  static constexpr size_t kMax = 8;
  constexpr ValTypes() = default;
  constexpr ValTypes(std::initializer_list<ValType> types) {
    for (ValType type : types) types_[size_++] = type;  // more than kMax fails to compile
  }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr ValType operator[](size_t i) const { return types_[i]; }
  constexpr const ValType* begin() const { return types_.data(); }
  constexpr const ValType* end() const { return types_.data() + size_; }
  friend constexpr bool operator==(const ValTypes& a, const ValTypes& b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i) {
      if (a.types_[i] != b.types_[i]) return false;
    }
    return true;
  }

 private:
  std::array<ValType, kMax> types_{};
  size_t size_ = 0;
};

struct Signature {
  ValTypes params;
  ValTypes results;
  friend constexpr bool operator==(const Signature&, const Signature&) = default;
};

// Short names, so that the tables below read as the docs do.
inline constexpr ValType kI32 = ValType::kI32, kI64 = ValType::kI64, kF32 = ValType::kF32, kF64 = ValType::kF64;

// The signature of a C function as clang compiles it for wasm32 (pointers
// are i32), for static_asserts against the tables: SignatureOf<decltype(f)>().
template <typename T>
constexpr ValType ValTypeOf() {
  if constexpr (std::is_pointer_v<T>) {
    return kI32;
  } else {
    static_assert(std::is_arithmetic_v<T> && sizeof(T) >= 4, "not a wasm value type");
    if constexpr (std::is_floating_point_v<T>) return sizeof(T) == 4 ? kF32 : kF64;
    return sizeof(T) == 4 ? kI32 : kI64;
  }
}
template <typename F>
struct SignatureOfFunction;
template <typename R, typename... Args>
struct SignatureOfFunction<R(Args...)> {
  static constexpr Signature Get() {
    if constexpr (std::is_void_v<R>) {
      return {{ValTypeOf<Args>()...}, {}};
    } else {
      return {{ValTypeOf<Args>()...}, {ValTypeOf<R>()}};
    }
  }
};
template <typename F>
constexpr Signature SignatureOf() {
  return SignatureOfFunction<F>::Get();
}

// --- exports (app → host) ---

enum class Need : uint8_t {
  kAlways,          // every module exports it; wasm-binary's check requires it
  kThreadsVariant,  // only modules built for threads export it
  kHotReload,       // optional: modules built with hot reload support (dev builds) export it
  kPreinit,         // optional: only the build calls it; a device host never needs it
  kTrace,           // optional: modules of wasmship builds with the trace hooks export it
};

struct Export {
  std::string_view name;
  Signature signature;
  Need need = Need::kAlways;
};

inline constexpr Export kExportInitialize{"_initialize", {{}, {}}};  // wasm-ld's reactor entry
inline constexpr Export kExportAbiVersion{"ws_abi_version", {{}, {kI32}}};
inline constexpr Export kExportInit{"ws_init", {{kI32, kI32}, {kI32}}};  // (width, height) -> 0 ok
inline constexpr Export kExportFrame{"ws_frame", {{kF64}, {kI32}}};     // (now_ms) -> more frames wanted
inline constexpr Export kExportInput{"ws_input", {{kI32, kI32}, {kI32}}};  // (kind, key) -> accepted
inline constexpr Export kExportFetchDone{"ws_fetch_done", {{kI32, kI32, kI32, kI32}, {}}};  // (request, status, ptr, len)
inline constexpr Export kExportAlloc{"ws_alloc", {{kI32}, {kI32}}};
inline constexpr Export kExportFree{"ws_free", {{kI32}, {}}};
inline constexpr Export kExportWorkerMain{"ws_worker_main", {{kI32}, {}}, Need::kThreadsVariant};


// The hot reload extension (`wasmship dev`), versioned on its own so that a
// host runs modules of every earlier version: a module without it (a release
// build, an older wasmship) is reloaded by a full restart. A host calls the
// others only when ws_hot_reload_version() returns a version it knows.
//   ws_state_save() -> ptr: the app's state as bytes the runtime alone reads
//     (signal values by key, focus); ptr points at a u32 length followed by
//     the bytes, valid until the next call into the module; 0: nothing saved.
//   ws_state_restore(ptr, len) -> i32: called on a fresh instance once it has
//     settled after ws_init, with bytes from an earlier instance (maybe of an
//     older build) copied into memory from ws_alloc; the runtime restores
//     matching signals now and those created in the next frames, then focus.
//     Returns 0, or nonzero when the bytes are not a state it can read.
//   ws_state_info() -> ptr: a u32 length followed by UTF-8 JSON
//     {"signals":N,"kept":K,"reset":R,"focus":"..."}: live signals, how many
//     the last restore kept and reset, and a stable text naming the focused
//     element (its text, else its path in the tree).
inline constexpr int32_t kHotReloadVersion = 1;
inline constexpr Export kExportHotReloadVersion{"ws_hot_reload_version", {{}, {kI32}}, Need::kHotReload};
inline constexpr Export kExportStateSave{"ws_state_save", {{}, {kI32}}, Need::kHotReload};
inline constexpr Export kExportStateRestore{"ws_state_restore", {{kI32, kI32}, {kI32}}, Need::kHotReload};
inline constexpr Export kExportStateInfo{"ws_state_info", {{}, {kI32}}, Need::kHotReload};

// Pre-initialization (`preinit: true` in a profile; docs/preinit.md),
// version 1 of the extension, named by the export itself (a change of its
// meaning gets a new name, ws_preinit2):
//   ws_preinit(width, height) -> i32: called by the build, once, right after
//     _initialize, in the build's interpreter: builds the UI for that screen
//     and runs the first frame's focus, effects and layout, deferring
//     ws::fetch requests; 0 ok. The build then writes memory and mutable
//     globals into the module as its initial state and points _initialize
//     at an empty function. ws_init on the device finds the UI built (or, on
//     a screen of another size, builds it again) and sends the deferred
//     requests. Hosts of every version run such a module unchanged: they
//     call _initialize and ws_init as always and never call ws_preinit.
//   Build-time fetches (`preinit_fetch:` in the profile): during ws_preinit,
//     ws::fetch calls ws_host.fetch with kFetchPreinitDeferrable added to
//     the URL's length. The build answers an asset the profile lists with a
//     request id and delivers it (ws_alloc, ws_fetch_done) after ws_preinit
//     returns; any other URL gets kFetchPreinitDeferred, and ws::fetch
//     defers that request to the device as above. A call without the flag
//     (not ws::fetch's) for an unlisted URL ends pre-initialization. While
//     answered requests are unfinished ws_preinit returns kPreinitFetching:
//     the build delivers them and calls ws_preinit again (same arguments),
//     which runs the completions, effects and layout, until it returns 0.
//     Only the build that compiled a module calls its ws_preinit, so both
//     sides of this always come from the same wasmship.
inline constexpr Export kExportPreinit{"ws_preinit", {{kI32, kI32}, {kI32}}, Need::kPreinit};
inline constexpr int32_t kPreinitFetching = 1;
inline constexpr uint32_t kFetchPreinitDeferrable = 0x80000000u;
inline constexpr int32_t kFetchPreinitDeferred = -2;
// The trace hooks (`wasmship run --trace`, docs/host-abi.md "Traces"):
// modules built before them have neither this export nor the ws_host.trace
// import, and run untraced (the host still times frames and host calls).
//   ws_trace_enable(on): the host calls it (nonzero) before ws_init when it
//     records a trace; only then does the runtime call ws_host.trace, so an
//     untraced run pays one load and branch per hook.
inline constexpr Export kExportTraceEnable{"ws_trace_enable", {{kI32}, {}}, Need::kTrace};

inline constexpr Export kExports[] = {kExportInitialize,       kExportAbiVersion, kExportInit,
                                      kExportFrame,            kExportInput,      kExportFetchDone,
                                      kExportAlloc,            kExportFree,       kExportWorkerMain,
                                      kExportHotReloadVersion, kExportStateSave,  kExportStateRestore,
                                      kExportStateInfo,        kExportPreinit,
                                      kExportTraceEnable};

// The linear memory: exported, or (threads variant) imported as env.memory.
inline constexpr std::string_view kMemoryExport = "memory";
inline constexpr std::string_view kSharedMemoryModule = "env";
inline constexpr std::string_view kSharedMemoryName = "memory";

// --- imports (host → app) ---

inline constexpr std::string_view kHostModule = WS_ABI_HOST_MODULE;
inline constexpr std::string_view kWasiModule = "wasi_snapshot_preview1";

struct Import {
  std::string_view module;
  std::string_view name;
  Signature signature;
};

inline constexpr Import kImportSubmit{kHostModule, "submit", {{kI32, kI32}, {}}};  // (ptr, len) draw list
inline constexpr Import kImportMeasureText{kHostModule, "measure_text", {{kI32, kI32, kF32}, {kI64}}};
inline constexpr Import kImportFetch{kHostModule, "fetch", {{kI32, kI32}, {kI32}}};  // (url_ptr, url_len) -> request
inline constexpr Import kImportLog{kHostModule, "log", {{kI32, kI32, kI32}, {}}};    // (level, ptr, len)
inline constexpr Import kImportNowMs{kHostModule, "now_ms", {{}, {kF64}}};
inline constexpr Import kImportSpawnWorker{kHostModule, "spawn_worker", {{kI32}, {kI32}}};  // (arg) -> 0 started
inline constexpr Import kImportTrace{kHostModule, "trace", {{kI32, kI32}, {}}};  // (TraceEvent, arg), below
// The app works (its first real screen is up): a newly installed update may
// stay. Optional: only modules whose app calls ws::mark_good() import it, and
// a device that installs updates falls back to N frames without a trap for
// the others (docs/update-repo.md).
inline constexpr Import kImportMarkGood{kHostModule, "mark_good", {{}, {}}};

// The WASI calls a module may import. wasm-binary checks only their names
// (wasi-libc fixes their signatures); the host binds these signatures.
inline constexpr Import kWasiFdWrite{kWasiModule, "fd_write", {{kI32, kI32, kI32, kI32}, {kI32}}};
inline constexpr Import kWasiClockTimeGet{kWasiModule, "clock_time_get", {{kI32, kI64, kI32}, {kI32}}};
inline constexpr Import kWasiRandomGet{kWasiModule, "random_get", {{kI32, kI32}, {kI32}}};
inline constexpr Import kWasiProcExit{kWasiModule, "proc_exit", {{kI32}, {}}};
inline constexpr Import kWasiArgsSizesGet{kWasiModule, "args_sizes_get", {{kI32, kI32}, {kI32}}};
inline constexpr Import kWasiArgsGet{kWasiModule, "args_get", {{kI32, kI32}, {kI32}}};
inline constexpr Import kWasiEnvironSizesGet{kWasiModule, "environ_sizes_get", {{kI32, kI32}, {kI32}}};
inline constexpr Import kWasiEnvironGet{kWasiModule, "environ_get", {{kI32, kI32}, {kI32}}};

// Every function a module may import: anything else is refused.
inline constexpr Import kImports[] = {
    kImportSubmit,     kImportMeasureText, kImportFetch,         kImportLog,     kImportNowMs,
    kImportSpawnWorker, kImportTrace,      kImportMarkGood,   kWasiFdWrite,      kWasiClockTimeGet,    kWasiRandomGet, kWasiProcExit,
    kWasiArgsSizesGet, kWasiArgsGet,       kWasiEnvironSizesGet, kWasiEnvironGet,
};

// The allowed import `module.name`, or nullptr.
constexpr const Import* FindImport(std::string_view module, std::string_view name) {
  for (const Import& import : kImports) {
    if (import.module == module && import.name == name) return &import;
  }
  return nullptr;
}

constexpr const Export* FindExport(std::string_view name) {
  for (const Export& e : kExports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// ws_host.log's level argument.
enum LogLevel : int32_t { kLogDebug = 0, kLogInfo = 1, kLogWarning = 2, kLogError = 3 };
inline constexpr std::string_view kLogLevelNames[] = {"debug", "info", "warning", "error"};

// ws_fetch_done's status argument.
enum FetchStatus : int32_t {
  kFetchOk = 200,           // the body is in [ptr, ptr+len), allocated with ws_alloc
  kFetchNotFound = 404,
  kFetchUndecodable = 422,  // an image that could not be decoded
  kFetchNoRoom = 507,       // the app could not allocate room for the body
};

// --- traces (ws_host.trace) ---

// ws_host.trace's event argument; what its second argument means.
enum TraceEvent : int32_t {
  // arg: a TraceSystem. The runtime system `arg` starts now, and the one
  // before it in this frame (if any) ends; kTraceNoSystem ends it only.
  kTraceSystem = 1,
  // arg: the address of the composable's name (NUL-terminated UTF-8 in the
  // module's static data, the same address at every call). Begin and end
  // nest; the host closes any left open when the call into the module ends.
  kTraceComposableBegin = 2,
  kTraceComposableEnd = 3,
};

// The runtime's systems in the order a frame runs them (ws_frame).
enum TraceSystem : int32_t {
  kTraceNoSystem = 0,
  kTraceInput = 1,      // queued key presses → handlers
  kTraceFocus = 2,      // focus moves, focus and blur handlers
  kTraceEffects = 3,    // the reactive flush: effects, if/for rebuilds
  kTraceAnimation = 4,  // transitions
  kTraceLayout = 5,     // layout, rails' item windows
  kTraceResources = 6,  // fetches started and completed
  kTraceRender = 7,     // the draw list, submit
  kTraceSchedule = 8,   // whether the app wants another frame (animations, effects, input, fetches pending)
};
inline constexpr std::string_view kTraceSystemNames[] = {"",       "input",     "focus",  "effects", "animation",
                                                          "layout", "resources", "render", "schedule"};
// The longest composable name a host reads (longer ones are cut).
inline constexpr size_t kTraceMaxName = 256;

// --- input (ws_input) ---

enum InputKind : int32_t { kInputKeyPress = 1 };

// A key press's key; a value >= kFirstCharacterKey is a printable
// character's Unicode code point.
enum Key : int32_t { kKeyUp = 1, kKeyDown = 2, kKeyLeft = 3, kKeyRight = 4, kKeySelect = 5, kKeyBack = 6 };
inline constexpr int32_t kFirstCharacterKey = 32;

struct NamedKey {
  std::string_view name;  // as `wasmship run --keys` and key scripts spell it
  Key key;
};
inline constexpr NamedKey kNamedKeys[] = {{"up", kKeyUp},         {"down", kKeyDown},     {"left", kKeyLeft},
                                          {"right", kKeyRight},   {"select", kKeySelect}, {"back", kKeyBack}};

// --- draw list (ws_host.submit) ---

// u32 magic, u32 command count, then each command: u8 opcode and its fields.
inline constexpr uint32_t kDrawListMagic = 0x4C445357;  // "WSDL" in memory (little-endian)
inline constexpr size_t kDrawListHeaderSize = 8;

enum class DrawOp : uint8_t {
  kRect = 1,
  kImage = 2,
  kText = 3,
  kPushClip = 4,
  kPopClip = 5,
  kPushOpacity = 6,
  kPopOpacity = 7,
  kPushTransform = 8,
  kPopTransform = 9,
};
inline constexpr DrawOp kFirstDrawOp = DrawOp::kRect;
inline constexpr DrawOp kLastDrawOp = DrawOp::kPopTransform;

struct DrawOpInfo {
  DrawOp op;
  std::string_view name;
  size_t fixed_bytes;  // field bytes after the opcode; TEXT's string follows its fixed part
};
inline constexpr DrawOpInfo kDrawOps[] = {
    {DrawOp::kRect, "RECT", 24},                 // f32 x y w h, u32 rgba, f32 radius
    {DrawOp::kImage, "IMAGE", 24},               // f32 x y w h, i32 image, f32 opacity
    {DrawOp::kText, "TEXT", 20},                 // f32 x y size, u32 rgba, u32 len; u8 utf8[len]
    {DrawOp::kPushClip, "PUSH_CLIP", 16},        // f32 x y w h
    {DrawOp::kPopClip, "POP_CLIP", 0},           //
    {DrawOp::kPushOpacity, "PUSH_OPACITY", 4},   // f32 alpha
    {DrawOp::kPopOpacity, "POP_OPACITY", 0},     //
    {DrawOp::kPushTransform, "PUSH_TRANSFORM", 24},  // f32 a b c d e f
    {DrawOp::kPopTransform, "POP_TRANSFORM", 0},     //
};

constexpr const DrawOpInfo& Info(DrawOp op) { return kDrawOps[static_cast<uint8_t>(op) - 1]; }

namespace detail {
constexpr bool DrawOpsInOpcodeOrder() {
  for (size_t i = 0; i < std::size(kDrawOps); ++i) {
    if (static_cast<size_t>(kDrawOps[i].op) != i + 1) return false;
  }
  return static_cast<size_t>(kLastDrawOp) == std::size(kDrawOps);
}
}  // namespace detail
static_assert(detail::DrawOpsInOpcodeOrder(), "kDrawOps must list every opcode from 1, in order");

}  // namespace ws::host_abi
