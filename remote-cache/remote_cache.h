// The remote cache over HTTP (libcurl): action-cache/remote_store.h's
// RemoteStore in the protocol of bazel-remote, nginx WebDAV, and ccache's and
// sccache's HTTP storage:
//   GET <prefix>/ac/<sha256>    200 and the body, or 404 for a miss
//   PUT <prefix>/ac/<sha256>    with Content-Length; 200, 201 or 204
//   GET/PUT <prefix>/cas/<sha256>
//
// One worker thread owns one curl multi handle, so connections are reused
// across every request of the process and up to `max_parallel` transfers run
// at once; Get blocks its caller until its own batch is answered, Put only
// queues. Content from kContent is hashed and must match its name.
//
// A remote must never fail or stall a build. The first failure of the server
// (refused or timed-out connection, a stalled transfer, a 5xx, a 401/403 on
// GET, a truncated body) opens a circuit breaker: one warning, and every later
// call is a miss or a no-op without touching the network. An upload refused
// with a 4xx (401/403: a read-only remote; 405: a WebDAV server set up
// without PUT) stops uploads only, with one warning naming the fix.
// A corrupt entry (content not matching its digest) is a miss and one
// warning; the remote stays in use, and the local cache's later upload of the
// right content overwrites the entry.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "action-cache/remote_store.h"
#include "diagnostics/result.h"

namespace ws {

struct RemoteCacheSettings {
  std::string url;         // http[s]://[user:password@]host[:port][/prefix]
  bool read_only = false;  // never PUT (developers read, CI writes)
  // A server that does not accept the connection within this long is down.
  int connect_timeout_ms = 2000;
  // A transfer moving fewer than `stall_bytes_per_second` for this long
  // (including a server that accepted and never answers) has failed.
  int stall_timeout_ms = 5000;
  int stall_bytes_per_second = 1024;
  // No single transfer takes longer than this, however steadily it moves.
  int transfer_timeout_ms = 60000;
  int max_parallel = 8;  // transfers (and so connections) at once
  // HTTPS: a PEM file of the certificate authorities to trust (a private
  // CA); empty: the system's store.
  std::string ca_file;
};

// What the remote did in this process (for `cache stats` and benches).
struct RemoteCacheStats {
  uint64_t gets = 0;          // digests asked for (including those answered offline)
  uint64_t hits = 0;          // 200 with a usable body
  uint64_t misses = 0;        // 404, or not asked because the remote is off
  uint64_t corrupt = 0;       // kContent bodies whose sha256 did not match
  uint64_t puts = 0;          // uploads that the server accepted
  uint64_t puts_dropped = 0;  // uploads not done: read-only, refused, or remote off
  uint64_t bytes_down = 0;    // bodies received (hits and corrupt ones)
  uint64_t bytes_up = 0;      // bodies the server accepted
  uint64_t connections = 0;   // TCP (or TLS) connections opened
  bool disabled = false;      // the circuit breaker is open
  bool uploads_disabled = false;
};

// The RemoteStore with its statistics. Thread-safe: Get, Put and Flush may be
// called from any number of threads. `warn` is called from a thread calling
// Get, Put or Flush (or from the destructor), never two calls at once, and
// must not call back into the cache.
class HttpRemoteCache final : public RemoteStore {
 public:
  class Impl;
  explicit HttpRemoteCache(std::unique_ptr<Impl> impl);
  ~HttpRemoteCache() override;  // flushes queued uploads, then stops the worker

  std::vector<std::optional<std::string>> Get(RemoteArea area,
                                              const std::vector<std::string>& digests) override;
  void Put(RemoteArea area, const std::string& digest, std::string bytes) override;
  void Flush() override;

  RemoteCacheStats Stats() const;
  // The URL without its password, as the warnings show it.
  const std::string& DisplayUrl() const;

 private:
  std::unique_ptr<Impl> impl_;
};

using RemoteWarn = std::function<void(const std::string&)>;

// Where the settings come from (wasmship.yaml's `cache:` map, then
// WASMSHIP_REMOTE_CACHE[_READ_ONLY]) is action-cache/cache_settings.h's job.

// Checks the URL (a malformed one is an error naming what is wrong) and starts
// the client; nothing touches the network until the first Get or Put, so an
// unreachable server is a warning at that point, not an error here.
Result<std::unique_ptr<HttpRemoteCache>> OpenHttpRemoteCache(const RemoteCacheSettings& settings,
                                                             RemoteWarn warn);

// The same, as the seam's interface (what the local action cache holds).
Result<std::unique_ptr<RemoteStore>> OpenRemoteCache(const RemoteCacheSettings& settings, RemoteWarn warn);

}  // namespace ws
