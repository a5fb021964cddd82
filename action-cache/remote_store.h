// A cache shared between machines, in the HTTP protocol of bazel-remote
// (and of ccache's and sccache's HTTP/WebDAV storage):
//   GET/PUT <prefix>/ac/<sha256>   an action's result, named by the action's key
//   GET/PUT <prefix>/cas/<sha256>  content, named by its own sha256
//
// The local action cache (action_cache.h) asks the remote only on a local
// miss and writes to it after storing locally. A remote must never fail or
// stall a build: every method degrades to a miss or a no-op, and the
// implementation reports its own failures (once) and stops asking a remote
// that is down. This header is the seam between the action cache and the
// HTTP client (remote-cache/); it has no implementation of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ws {

enum class RemoteArea { kActionResult, kContent };

class RemoteStore {
 public:
  virtual ~RemoteStore() = default;

  // The bytes stored under each digest (lowercase sha256 hex), in the same
  // order; nullopt for a miss or any failure. Content (kContent) whose sha256
  // differs from its name is never returned. Transfers run in parallel.
  virtual std::vector<std::optional<std::string>> Get(RemoteArea area, const std::vector<std::string>& digests) = 0;

  // Queues an upload (a no-op for a read-only remote). Uploads run in
  // parallel and have ended, successfully or not, when Flush() returns.
  virtual void Put(RemoteArea area, const std::string& digest, std::string bytes) = 0;

  virtual void Flush() = 0;
};

}  // namespace ws
