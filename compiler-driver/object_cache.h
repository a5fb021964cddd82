// Outputs validated by the files their tool read: objects, expansions of
// DSL sources, the runtime's precompiled header, in the action cache
// (action-cache/action_cache.h).
//
// A translation unit's key covers the compiler identity, the compile flags
// and the source's content. Under that key the action cache keeps a few
// results, each recording the headers the compile read (from clang's
// depfile) with their content hashes, and the object it produced. A lookup
// succeeds only when every recorded header still has the recorded content,
// so editing a header recompiles exactly the TUs that include it. Objects
// are re-hashed when used (through the file hasher's stat cache): a
// corrupted one is detected, discarded and rebuilt.
#pragma once

#include <string>
#include <vector>

#include "action-cache/action_cache.h"
#include "compiler-driver/content_hash.h"
#include "diagnostics/result.h"

namespace ws {

struct CachedObject {
  std::string path;  // inside the cache directory
  std::string hash;  // content hash (XXH3) of the object
};

struct CacheLookup {
  bool hit = false;
  bool corrupt = false;  // an entry matched but its object was damaged
  CachedObject object;   // valid when hit
};

class ObjectCache {
 public:
  explicit ObjectCache(ActionCache& actions) : actions_(actions) {}

  const std::string& dir() const { return actions_.dir(); }
  ActionCache& actions() { return actions_; }

  // `files` hashes dependency paths (relative ones against the project
  // root). With `count`, the lookup is a hit or a miss of `kind` in the
  // statistics.
  CacheLookup Lookup(StepKind kind, const std::string& key, FileHasher& files, const std::string& what,
                     bool count = true);

  // Stores the freshly built object at `built_object` and records `deps`
  // under `key`.
  Result<CachedObject> Store(const std::string& key, const std::string& built_object,
                             const std::vector<std::string>& deps, FileHasher& files);

 private:
  ActionCache& actions_;
};

}  // namespace ws
