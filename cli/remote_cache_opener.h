// The build's remote cache (docs/remote-cache.md): remote-cache/'s HTTP
// client for the URL the cache settings name. Plugged into BuildOptions'
// open_remote_cache by every command that builds.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "action-cache/cache_settings.h"
#include "action-cache/remote_store.h"

namespace ws {

// Null (with a warning naming where the URL came from) when the URL is
// malformed: the build goes on with the local cache, as with a remote that is down.
std::unique_ptr<RemoteStore> OpenBuildRemoteCache(const CacheSettings& settings,
                                                  std::function<void(const std::string&)> warn);

}  // namespace ws
