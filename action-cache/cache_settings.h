// Where the action cache lives and how big it may grow, and the remote
// cache to use: from the environment, wasmship.yaml's `cache:` map and the
// user default, resolved into one value (docs/cache.md).
//   dir:    WASMSHIP_CACHE_DIR > cache.dir > $XDG_CACHE_HOME/wasmship > ~/.cache/wasmship
//   remote: WASMSHIP_REMOTE_CACHE > cache.remote; read-only likewise
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics/result.h"

namespace ws {

inline constexpr uint64_t kDefaultCacheMaxBytes = 5ull << 30;  // 5 GiB

// What wasmship.yaml's `cache:` map says; unset fields defer to the defaults.
struct CacheConfig {
  std::optional<std::string> dir;  // absolute (the manifest resolves it against the project)
  std::optional<uint64_t> max_size;
  std::optional<std::string> remote;
  std::optional<bool> remote_read_only;
};

struct CacheSettings {
  std::string dir;
  std::string dir_origin;  // in messages: "WASMSHIP_CACHE_DIR", "cache.dir in wasmship.yaml", "the user cache"
  uint64_t max_size = kDefaultCacheMaxBytes;
  std::string remote;  // empty: no remote cache
  std::string remote_origin;  // in messages, like dir_origin
  bool remote_read_only = false;
};

// "5GiB", "500MB", "64 KiB", "1024" (bytes). Binary (KiB, MiB, GiB, TiB) and
// decimal (KB, MB, GB, TB) units; K/M/G/T alone are binary.
Result<uint64_t> ParseByteSize(std::string_view text);
std::string DescribeBytes(uint64_t bytes);  // "4.2 MiB"

// $XDG_CACHE_HOME/wasmship, or ~/.cache/wasmship.
std::string UserCacheDir();

// The environment over `config` over the defaults. Errors name the variable.
Result<CacheSettings> ResolveCacheSettings(const CacheConfig& config);

}  // namespace ws
