// Outputs of build steps that live in the object cache: objects,
// expansions of DSL sources, the runtime's precompiled header. Each is keyed
// by what produced it and validated by the files its tool read (depfile).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/build_jobs.h"

namespace ws {

struct CachedOutput {
  StepKind kind;
  std::string key;
  std::string path;     // where the step's output lives in the build directory
  std::string display;  // how messages name the step's input
  // A file the key already covers by content: not recorded as a dependency.
  std::string keyed_input;
  // A lookup counts in the cache's statistics (the second output of one
  // step does not).
  bool counted = true;
};

// An action key over a tool command (the tool's path left out: its identity
// is in the key) and further fields; runtime paths become a token. Project
// paths are relative already, so a clone elsewhere has the same keys.
std::string CommandKey(const BuildState& s, const std::string& kind, const std::vector<std::string>& command,
                       const std::vector<std::string>& fields);

// Text outputs (maps, reports) name files of the project by absolute path:
// they are cached with the project's root as a placeholder and restored
// with this project's root, so a clone elsewhere gets its own paths.
std::string PortableText(const BuildState& s, std::string text);
std::string LocalText(const BuildState& s, std::string text);

// Outputs of the link, optimize and bundle steps, by name, in the cache:
// `text` ones through PortableText.
struct StepOutput {
  std::string name;
  std::string path;  // in the build directory
  bool text = false;
};

// On a hit, writes every output to its path (fresh files: tools rewrite
// some of these in place, which must not reach the cache) and returns true.
bool RestoreStep(BuildState& s, StepKind kind, const std::string& key, const std::vector<StepOutput>& outputs,
                 const std::string& what);
// Stores the outputs the step wrote; a failure only costs the caching.
void KeepStep(BuildState& s, const std::string& key, const std::vector<StepOutput>& outputs);

// On a hit, gives out.path the cached content and returns its hash; a
// damaged entry is reported and sets `status` to corrupt.
std::optional<std::string> Restore(BuildState& s, const CachedOutput& out, CacheStatus& status);

// The tool wrote out.path + ".tmp" and its depfile out.path + ".d": store it
// in the cache and move it into place. Returns its hash; nullopt (with a
// diagnostic) if the tool wrote nothing.
std::optional<std::string> Keep(BuildState& s, const CachedOutput& out);

}  // namespace ws
