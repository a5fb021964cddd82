// The content-addressed object cache (.wasmship/cache, or WASMSHIP_CACHE_DIR).
//
// A translation unit's key covers the compiler identity, the compile flags
// and the source's content. Under that key the cache keeps a few entries,
// each recording the headers the compile read (from clang's depfile) with
// their content hashes, and the hash of the object it produced. A lookup
// succeeds only when every recorded header still has the recorded content,
// so editing a header recompiles exactly the TUs that include it. Objects
// are stored under their own hash and re-hashed when used: a corrupted
// entry is detected, discarded and rebuilt.
#pragma once

#include <string>
#include <vector>

#include "compiler-driver/content_hash.h"
#include "diagnostics/result.h"

namespace ws {

struct CachedObject {
  std::string path;  // inside the cache directory
  std::string hash;  // content hash of the object
};

struct CacheLookup {
  bool hit = false;
  bool corrupt = false;  // an entry matched but its object was damaged
  CachedObject object;   // valid when hit
};

class ObjectCache {
 public:
  explicit ObjectCache(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }

  // `files` hashes dependency paths (relative ones against the project root).
  CacheLookup Lookup(const std::string& key, FileHasher& files);

  // Moves the freshly built object at `built_object` into the cache and
  // records `deps` under `key`.
  Result<CachedObject> Store(const std::string& key, const std::string& built_object,
                            const std::vector<std::string>& deps, FileHasher& files);

 private:
  struct Entry {
    std::string object_hash;
    std::vector<std::pair<std::string, std::string>> deps;  // hash, path
  };
  std::string EntryPath(const std::string& key) const;
  std::string ObjectPath(const std::string& hash) const;
  std::vector<Entry> ReadEntries(const std::string& key) const;
  Status WriteEntries(const std::string& key, const std::vector<Entry>& entries) const;

  std::string dir_;
};

}  // namespace ws
