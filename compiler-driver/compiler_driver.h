// compiler-driver: turns a wasmship project into wasm modules.
//
//   manifest (wasmship.yaml) → build plan → [cache lookup | clang++ -c]* → wasm-ld → dist/
//
// This is the library's public face; the CLI's `build` command is a thin
// wrapper around Build().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "action-cache/remote_store.h"
#include "compiler-driver/build_report.h"
#include "compiler-driver/manifest.h"
#include "feature-matrix/variant_plan.h"
#include "diagnostics/diagnostic.h"

namespace ws {

// One scripted run that measures a built module for the performance
// budgets (docs/budgets.md). The library cannot run wasm itself (nothing
// here depends on device-host): the CLI provides the runner.
struct PerfRequest {
  std::string module_path;     // the variant's module (.wasm), where this build left it
  std::string script_path;     // the manifest's perf_script, resolved
  std::string assets_dir;      // resolved; empty when the project has none
  std::string cache_dir;       // aot's compiled modules
  std::string engine;          // interp or aot
  uint64_t memory_limit = 0;   // the variant's
  std::string variant;
};
struct PerfOutcome {
  enum class Kind { kOk, kBadScript, kTrapped, kCannotRun, kFailed };
  Kind kind = Kind::kFailed;
  nlohmann::ordered_json figures;  // report.json's variant.perf.runs.<engine>
  // kCannotRun: why this engine cannot run the variant (the build goes on
  // without its figures); the others put their diagnostics in the sink.
  std::string why;
};
using PerfRunner = std::function<PerfOutcome(const PerfRequest&, DiagnosticSink&)>;

struct BuildOptions {
  std::string manifest_path;  // wasmship.yaml
  std::string profile = "debug";
  std::string out_dir;  // empty: OutputDirFor(the project, profile)
  size_t jobs = 0;      // 0: one per core
  bool color = false;   // ask clang for colored diagnostics
  std::string self;     // the wasmship binary (wasmship-expander beside it expands DSL sources)
  std::vector<std::string> devices;  // build these devices' variants ...
  bool all_devices = false;          // ... or every device's (the default when CI is set)
  std::string tool_version;          // wasmship's version, for the bundles' `toolchain`
  int64_t created = 0;               // the bundles' `created` (SOURCE_DATE_EPOCH)
  std::string baseline_bundle_dir;   // make delta bundles against this release's bundles
  std::string baseline_report;       // budgets' growth and `report diff` compare against it
  bool check_budgets = true;         // --no-budget: false
  PerfRunner perf_runner;            // measures performance budgets; unset: they are skipped
  // --shard K/N: build only shard K of the chosen variants and record it in
  // <out>/shard.json (compiler-driver/shard.h); 0/0: not sharded.
  size_t shard_index = 0;
  size_t shard_count = 0;
  // Opens the remote cache the settings name (remote-cache/); unset or
  // returning null: local caching only. Called once per build, only when
  // a remote is configured; the store reports its failures through `warn`.
  std::function<std::unique_ptr<RemoteStore>(const CacheSettings&, std::function<void(const std::string&)> warn)>
      open_remote_cache;
};

// Progress of a build as it happens, for the terminal.
class BuildObserver {
 public:
  virtual ~BuildObserver() = default;
  // A tool starts: "[index/total] compile src/main.cpp".
  virtual void StepStarted(const std::string& description, const std::vector<std::string>& argv,
                           size_t index, size_t total) = 0;
  // A tool ended; `output` is its diagnostics (empty when it printed nothing).
  virtual void StepFinished(const std::string& description, const std::string& output,
                            bool ok) = 0;
  // Anything else worth a line: waiting for the lock, a damaged cache entry.
  virtual void Message(const std::string& text) = 0;
};

// kPerfScriptTrapped: the app trapped running the manifest's perf_script.
enum class BuildStatus { kOk, kConfigError, kBuildError, kBudgetExceeded, kInterrupted, kPerfScriptTrapped };

struct BuildOutcome {
  BuildStatus status = BuildStatus::kConfigError;
  std::string out_dir;  // where the build's outputs go
  // The build's outputs are in place (an interrupt may still have come
  // after that); false: the output directory is as it was before.
  bool outputs_replaced = false;
  // False when replacing the outputs failed halfway and the previous files
  // could not all be moved back (the next build, run or budget check
  // finishes the job).
  bool outputs_intact = true;
  std::string module_path;  // the first variant's module in the output directory
  uint64_t module_bytes = 0;
  std::vector<std::string> module_paths;  // every variant's
  std::string symbols_path;  // the first variant's symbol map (function index → name)
  std::string bundle_path;   // the first variant's bundle
  std::vector<std::string> bundle_paths;  // every variant's
  bool up_to_date = false;  // nothing needed to be compiled or linked
  BuildReport report;
  nlohmann::ordered_json document;  // dist/report.json, budgets included
};

BuildOutcome Build(const BuildOptions& options, BuildObserver& observer, DiagnosticSink& sink);

// Where a profile's outputs go, like cargo's target/<profile>: the release
// profile's in <root>/dist (what CI and release managers take), every other
// profile's in <root>/dist/<profile>, so that a debug build or a `run`
// never replaces the release's index and reports.
std::string OutputDirFor(const std::string& root, const std::string& profile);

// The variants a build makes: one per distinct (features, memory, profile,
// pipeline) among the chosen devices; a project without devices.yaml has one
// variant named after the profile. Unknown devices are configuration errors.
std::optional<std::vector<Variant>> ChooseVariants(const Manifest& manifest, const Profile& profile,
                                                   const BuildOptions& options, DiagnosticSink& sink);

// How `build` would expand one of the project's sources (`wasmship expand`).
struct ExpansionInputs {
  std::string source;   // relative to the project root
  std::string display;
  std::vector<std::string> clang_args;  // without the PCH when none is built yet
  bool has_blocks = false;
};
std::optional<ExpansionInputs> PlanExpansion(const BuildOptions& options, const std::string& source,
                                             DiagnosticSink& sink);

}  // namespace ws
