// The concrete steps of one build: which sources compile with which flags
// into which objects, and how they link. Planning resolves the manifest's
// globs and the toolchain; it runs nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/signing.h"
#include "compiler-driver/manifest.h"
#include "compiler-driver/toolchain.h"
#include "feature-matrix/variant_plan.h"
#include "wasm-opt-passes/optimize_request.h"

namespace ws {

struct CompileUnit {
  std::string source;   // as given to the compiler: relative to the root, or absolute
  std::string display;  // how progress lines and reports name it (no absolute paths)
  std::string object;   // relative to the project root
  // The compiler and every flag that affects the object; part of the cache
  // key. Excludes input/output paths and diagnostics coloring.
  std::vector<std::string> command;
  // A source with compose blocks: `original` is the user's file and `source`
  // its expansion in the build directory; `expand_args` are the expander's
  // clang flags. Empty otherwise.
  std::string original;
  std::vector<std::string> expand_args;
  // A DSL source in a profile without LTO: where its expansion's literal
  // table goes (macro-expander/literal_table.h), compiled by the unit after
  // it, whose `literals_of_previous` is set. Empty otherwise.
  std::string literals;
  bool literals_of_previous = false;
};

// The runtime's umbrella header, precompiled once per flag set and used by
// every app unit and the expander (parsing it is most of a unit's cost).
struct PchStep {
  std::string header;  // <runtime>/include/wasmship/ui.hpp
  std::string output;  // relative to the project root
  std::vector<std::string> command;  // without -o and depfile
};

// After the optimizer: size analysis, the signed bundle (and a delta
// against a baseline), the symbol map with components; run as `wasmship
// __package` (compiler-driver/package.h).
struct PackageStep {
  std::string bundle_path;      // <out>/bundles/<app>-<version>-<variant>.wsb
  std::string baseline_dir;     // --baseline-bundle-dir: make a delta against its bundle of this variant
  int level = 19;
  bool long_matching = true;
  SigningKeySource key;
  std::string toolchain;        // the bundle manifest's `toolchain`
  int64_t created = 0;          // SOURCE_DATE_EPOCH
  std::map<std::string, std::string> objects;  // link inputs → "runtime" or "app"
  // Link inputs in link order → their source as reports name it; the
  // app's own sources (absolute), read for UI_COMPOSABLE functions.
  std::vector<std::pair<std::string, std::string>> sources;
  std::vector<std::string> app_sources;
  std::vector<std::pair<std::string, std::string>> runtime_headers;  // path → as reports show it
  std::string llvm_nm;  // "" : parts by the link map alone
};

struct BuildPlan {
  std::string app_name;
  std::string app_version;
  std::string root;       // the project directory (absolute)
  std::string state_dir;  // <root>/.wasmship
  std::string build_dir;  // <state_dir>/build/<variant>
  std::string cache_dir;  // the action cache: cache.dir (docs/cache.md)
  CacheSettings cache;    // where it is, its cap and the remote cache
  Variant variant;
  std::string linked_path;     // wasm-ld's output, in the build directory
  std::string optimized_path;  // the optimizer's output, named like the module
  std::string module_path;     // the shipped module in the output directory
  std::string symbols_path;    // <out>/symbols/<variant>.map.json (wasm-binary/symbol_map.h)
  std::string map_path;
  // The Binaryen step after linking, run as `wasmship __optimize`:
  // pipeline, feature validation, strip-logs, trap audit, symbols.
  opt::OptimizeRequest optimize;
  PackageStep package;
  std::vector<std::string> launcher;  // prefix of every compile (ccache, ...)
  // Flags the launcher needs that do not change the object, so not part of
  // cache keys: distcc compiles preprocessed text remotely, where clang
  // warns that -include-pch and -iquote went unused.
  std::vector<std::string> launcher_flags;
  std::vector<CompileUnit> units;  // the app's sources, then the runtime's
  PchStep pch;
  std::string self;      // this wasmship binary: optimize and package steps run it
  std::string expander;  // wasmship-expander beside it: expands DSL sources
  std::vector<std::string> link_flags;  // libraries and options; inputs/outputs added by the link
  Toolchain toolchain;
};

// Progress lines and reports name runtime sources "wasmship-runtime/src/...".
constexpr const char* kRuntimeDisplayPrefix = "wasmship-runtime/";

// Whether `unit` is one of the runtime's sources (not the app's).
bool IsRuntimeUnit(const CompileUnit& unit);

// Directory layout only; used before the lock is taken.
std::string StateDirFor(const Manifest& manifest);

// The plan for one variant (a project without devices has one, named after
// the profile, with the default features and no memory limit).
std::optional<BuildPlan> PlanBuild(const Manifest& manifest, const Profile& profile, const Variant& variant,
                                   const BuildOptions& options, DiagnosticSink& sink);

// Compiler flags for exactly `features` (clang's default CPU has more).
std::vector<std::string> FeatureFlags(const FeatureSet& features);

}  // namespace ws
