#include "cli/remote_cache_opener.h"

#include "remote-cache/remote_cache.h"

namespace ws {

std::unique_ptr<RemoteStore> OpenBuildRemoteCache(const CacheSettings& settings,
                                                  std::function<void(const std::string&)> warn) {
  RemoteCacheSettings remote;
  remote.url = settings.remote;
  remote.read_only = settings.remote_read_only;
  Result<std::unique_ptr<RemoteStore>> store =
      OpenRemoteCache(remote, [warn](const std::string& message) { warn("warning: " + message); });
  if (!store) {
    std::string origin = settings.remote_origin.empty() ? "the remote cache" : settings.remote_origin;
    warn("warning: " + origin + ": " + store.error().message + "; building with the local cache only");
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace ws
