// The action cache's bookkeeping: its size, its statistics file, eviction
// of the least recently used files, and emptying it (`wasmship cache`).
#pragma once

#include <cstdint>
#include <string>

#include "action-cache/action_cache.h"
#include "diagnostics/result.h"

namespace ws {

struct CacheUsage {
  uint64_t bytes = 0;    // of ac/ and cas/ files
  uint64_t entries = 0;  // ac/ files
  uint64_t blobs = 0;    // cas/ files
};

CacheUsage MeasureCache(const std::string& dir);

// The counters of every build since the cache was made or cleared.
CacheCounters ReadCacheStats(const std::string& dir);
// Adds `counters` to <dir>/stats.json (under a lock: builds run at once).
Status AddCacheStats(const std::string& dir, const CacheCounters& counters);

// Removes files of ac/ and cas/, least recently used first, until the
// cache holds at most `max_bytes`. Returns how many it removed.
Result<uint64_t> EvictToSize(const std::string& dir, uint64_t max_bytes);

// Everything under `dir` that wasmship put there.
Status ClearCache(const std::string& dir);

}  // namespace ws
