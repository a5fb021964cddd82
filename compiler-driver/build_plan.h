// The concrete steps of one build: which sources compile with which flags
// into which objects, and how they link. Planning resolves the manifest's
// globs and the toolchain; it runs nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"
#include "compiler-driver/toolchain.h"

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
};

// The runtime's umbrella header, precompiled once per flag set and used by
// every app unit and the expander (parsing it is most of a unit's cost).
struct PchStep {
  std::string header;  // <runtime>/include/wasmship/ui.hpp
  std::string output;  // relative to the project root
  std::vector<std::string> command;  // without -o and depfile
};

struct BuildPlan {
  std::string root;       // the project directory (absolute)
  std::string state_dir;  // <root>/.wasmship
  std::string build_dir;  // <state_dir>/build/<profile>
  std::string cache_dir;  // <state_dir>/cache or WASMSHIP_CACHE_DIR
  std::string module_path;
  std::string map_path;
  std::vector<std::string> launcher;  // prefix of every compile (ccache, ...)
  std::vector<CompileUnit> units;  // the app's sources, then the runtime's
  PchStep pch;
  std::string self;  // this wasmship binary, which expands DSL sources in a subprocess
  std::vector<std::string> link_flags;  // libraries and options; inputs/outputs added by the link
  Toolchain toolchain;
};

// Progress lines and reports name runtime sources "wasmship-runtime/src/...".
constexpr const char* kRuntimeDisplayPrefix = "wasmship-runtime/";

// Directory layout only; used before the lock is taken.
std::string StateDirFor(const Manifest& manifest);

std::optional<BuildPlan> PlanBuild(const Manifest& manifest, const Profile& profile,
                                   const BuildOptions& options, DiagnosticSink& sink);

}  // namespace ws
