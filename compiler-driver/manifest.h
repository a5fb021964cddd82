// wasmship.yaml: the project manifest (see docs/manifest.md). Loading checks
// every key and value and reports each problem with file:line:col; unknown
// keys come with the nearest valid key as a suggestion.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "action-cache/cache_settings.h"
#include "diagnostics/diagnostic.h"
#include "size-reports/perf_limits.h"

namespace ws {

// A glob of the manifest and where it is written.
struct SourcePattern {
  std::string pattern;
  Span span;
};

struct Profile {
  std::string name;
  std::string opt = "O1";  // O0 O1 O2 O3 Os Oz
  bool lto = false;
  bool strip = false;   // drop names from shipped modules (after the symbol map is saved)
  bool budget = false;  // check budgets on this profile (release always does)
  std::string optimize = "none";  // Binaryen pipeline: none, size, speed, auto (by engine)
  bool aot_speed = false;         // aot devices get the speed pipeline instead
  // Compile the runtime and the app with -DWS_HOT_RELOAD=1: the module
  // exports the hot reload extension (host-abi/host_abi.h) that `wasmship
  // dev` uses to keep state across a reload. On for debug only by default.
  bool hot_reload = false;
  std::string log_level = "debug";  // ws_host.log calls below this level are removed
  // The bundle's zstd frame: level 1..22 and long-distance matching.
  // Release ships at 19 with long matching; debug compresses fast.
  int zstd_level = 3;
  bool zstd_long = false;
  // Run the app's start-up at build time and ship its snapshot
  // (docs/preinit.md); off by default.
  bool preinit = false;
  // Assets fixed at build time (globs relative to `assets:`): with preinit,
  // the build answers start-up's ws::fetch of these with the files' bytes,
  // so the snapshot holds what start-up made of them (docs/preinit.md).
  std::vector<SourcePattern> preinit_fetch;
  // Compile with -DWS_TRACE=1: the runtime and the compose blocks report
  // systems and composables to `run --trace` through ws_host.trace (an
  // import hosts older than the hooks lack). On for debug only by default.
  bool trace = false;
  std::vector<std::string> cflags;
  std::vector<std::string> ldflags;
  // Time budgets (startup_ms, frame_ms_p99, input_ms_p99) fail the build
  // instead of only warning. Off by default: wall time varies between runs.
  bool strict = false;
};

// A size limit: an absolute number of bytes or a percentage (growth).
struct SizeLimit {
  uint64_t bytes = 0;
  std::optional<double> percent;
  Span span;
};

// Size limits, and the performance limits of size::PerfLimits.
struct Budget : size::PerfLimits {
  std::optional<SizeLimit> bundle;
  std::optional<SizeLimit> wasm;
  std::optional<SizeLimit> growth;
  std::map<std::string, SizeLimit> components;
  // New trap sites allowed on the frame path against the baseline report.
  std::optional<uint32_t> frame_traps;
  Span span;  // the budget's key
};

struct Manifest {
  std::string path;  // the manifest file, as it should appear in messages
  std::string root;  // its directory; every relative path below is relative to it
  std::string app_name;
  std::string app_version;
  std::vector<SourcePattern> sources;
  std::vector<std::string> include_dirs;
  std::string devices_file;  // empty when the project has none
  std::string assets_dir;
  std::string signing_key;
  std::string launcher;  // build.launcher: ccache, sccache, icecc or a path
  std::optional<double> step_timeout_s;  // build.step_timeout: how long one step may run
  std::map<std::string, Profile> profiles;  // always has debug and release
  std::map<std::string, Budget> budgets;    // "default" or a device name
  // cache: {dir, max_size, remote, remote_read_only} (docs/cache.md); dir is
  // resolved against the project. ResolveCacheSettings adds the environment.
  CacheConfig cache;
  // The scripted run (run --script format) that measures performance budgets.
  std::string perf_script;
  Span perf_script_span;
};

// Loads `path`; diagnostics name the file as `path` is written.
std::optional<Manifest> LoadManifest(const std::string& path, DiagnosticSink& sink);
// The same from text already read; paths in it are relative to `path`'s directory.
std::optional<Manifest> ParseManifestText(const std::string& path, const std::string& text, DiagnosticSink& sink);

// The nearest wasmship.yaml at or above `start_dir`, or nullopt.
std::optional<std::string> FindManifest(const std::string& start_dir);

// The profile called `name`, or a diagnostic naming the ones that exist.
const Profile* FindProfile(const Manifest& manifest, const std::string& name,
                           DiagnosticSink& sink);

}  // namespace ws
