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
  std::string key;
  std::string path;     // where the step's output lives in the build directory
  std::string display;  // how messages name the step's input
  // A file the key already covers by content: not recorded as a dependency.
  std::string keyed_input;
};

// A cache key over a tool command (the tool's path left out: its identity is
// in the key) and further fields; runtime paths become a token.
std::string CommandKey(const BuildState& s, const std::string& kind, const std::vector<std::string>& command,
                       const std::vector<std::string>& fields);

// On a hit, gives out.path the cached content and returns its hash; a
// damaged entry is reported and sets `status` to corrupt.
std::optional<std::string> Restore(BuildState& s, const CachedOutput& out, CacheStatus& status);

// The tool wrote out.path + ".tmp" and its depfile out.path + ".d": store it
// in the cache and move it into place. Returns its hash; nullopt (with a
// diagnostic) if the tool wrote nothing.
std::optional<std::string> Keep(BuildState& s, const CachedOutput& out);

}  // namespace ws
