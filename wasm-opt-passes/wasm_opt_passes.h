// wasm-opt-passes: optimizes a linked module with Binaryen (C API, v108)
// and checks it against a feature set.
//
//   module ─► feature validation ─► [our passes] ─► Binaryen pipeline ─► symbol map ─► strip ─► module
//
// Binaryen's C API keeps its settings (optimize/shrink level, ...) in
// process-global state and exits the process on an unknown pass name, so
// every run sets its settings right before it and every pass name is
// checked first.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/result.h"
#include "wasm-binary/wasm_features.h"

namespace ws::opt {

// The wasm features a module may use (a device variant's feature set).
using Features = wasm::WasmFeatures;

enum class Pipeline {
  kDebug,  // nothing but our checks: fast, keeps everything debuggable
  kSize,   // release: shrink level 2, optimize level 2, converge, metadce of unused exports
  kSpeed,  // release for interp devices (`optimize: auto`): -O3-like
};

struct OptimizeOptions {
  Pipeline pipeline = Pipeline::kDebug;
  Features features;
  // strip-logs: remove calls to ws_host.log with a constant level below this
  // (0 debug, 1 info, 2 warning, 3 error); -1 keeps every call.
  int strip_logs_below = -1;
  // After the symbol map is taken: drop the name section, producers and
  // target_features.
  bool strip = false;
  // The module never addresses its low 1 KiB (wasm-ld's default layout: data
  // at 1024, the stack after it): the release pipelines may then fold
  // constant offsets into loads and stores. The linker's caller knows.
  bool low_memory_unused = false;
  // Exports that must survive (metadce removes the others).
  std::vector<std::string> keep_exports;
  // The speed pipeline chosen by `optimize: auto` gives way to size when its
  // module would exceed a device budget (0: no limit): more bytes than
  // speed_max_wasm, or a bundle estimate (the zstd payload at zstd_level,
  // long matching when zstd_long, plus kBundleAllowance) over speed_max_bundle.
  int speed_max_wasm = 0;
  int speed_max_bundle = 0;
  int zstd_level = 19;
  bool zstd_long = true;
  // The input is wasm-ld's output (a build's link step): checked for whole
  // sections only, not read and validated by wabt first (binaryen_module.h).
  bool linker_output = false;
  // Pre-initialization (`preinit: true`, docs/preinit.md): after optimizing,
  // the `__optimize` step runs _initialize and ws_preinit(width, height) in
  // the interpreter and writes the snapshot into the module. 0: off.
  int preinit_width = 0;
  int preinit_height = 0;
  // Build-time fetches (`preinit_fetch:`): the assets (paths relative to
  // the request's assets directory) that pre-initialization answers, and a
  // hash of their names and contents, so that editing one reruns the step.
  std::vector<std::string> preinit_fetch;
  std::string preinit_fetch_digest;

  // Every field, with its name in the optimize request
  // (optimize_request.h), whose serialization is also the step's cache key:
  // a field missing here fails optimize_request_test.
  template <typename Self, typename Visit>
  static void Fields(Self& self, Visit&& visit) {
    visit("pipeline", self.pipeline);
    visit("features", self.features);
    visit("strip_logs_below", self.strip_logs_below);
    visit("strip", self.strip);
    visit("low_memory_unused", self.low_memory_unused);
    visit("keep_exports", self.keep_exports);
    visit("speed_max_wasm", self.speed_max_wasm);
    visit("speed_max_bundle", self.speed_max_bundle);
    visit("zstd_level", self.zstd_level);
    visit("zstd_long", self.zstd_long);
    visit("linker_output", self.linker_output);
    visit("preinit_width", self.preinit_width);
    visit("preinit_height", self.preinit_height);
    visit("preinit_fetch", self.preinit_fetch);
    visit("preinit_fetch_digest", self.preinit_fetch_digest);
  }

  bool operator==(const OptimizeOptions&) const = default;
};

// One pass or pass group: size before and after, time, and what it did.
struct PassReport {
  std::string name;
  uint64_t bytes_before = 0;
  uint64_t bytes_after = 0;
  double ms = 0;
  std::string summary;  // e.g. "removed 12 calls to ws_host.log and 340 bytes of strings"
};

// trap-audit: where the module can trap.
struct TrapSites {
  std::string function;       // demangled name (or "func[N]")
  uint32_t unreachable = 0;   // `unreachable` instructions
  uint32_t abort_calls = 0;   // direct calls to abort-like functions
  bool on_frame_path = false; // reachable by direct calls from ws_frame or ws_input
};

struct OptimizeResult {
  std::vector<uint8_t> wasm;
  std::vector<PassReport> passes;
  std::vector<TrapSites> traps;  // functions with at least one trap site, most first
  // Function index in the final module → mangled name, taken before stripping.
  std::map<uint32_t, std::string> symbols;
};

// Runs the pipeline. Errors (a module Binaryen cannot read, a validation
// failure after optimizing) are values.
Result<OptimizeResult> Optimize(std::span<const uint8_t> wasm, const OptimizeOptions& options);

// Binaryen's validator with exactly `features` enabled. The error names the
// first function that uses something outside them and what it is, e.g.
// "function ws::ui::Layout(float) uses SIMD instructions, which this variant does not have".
Status ValidateFeatures(std::span<const uint8_t> wasm, const Features& features);

// Features from a comma-separated list of devices.yaml feature names
// ("simd,threads"; "mvp" or "" for none); nullopt for an unknown name.
std::optional<Features> ParseFeatureList(std::string_view list);

// Names of the Binaryen passes `pipeline` runs (validated before each run).
std::vector<std::string> PipelinePasses(Pipeline pipeline);

}  // namespace ws::opt
