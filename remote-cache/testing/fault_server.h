// A small HTTP/1.1 server on a loopback port for the remote cache's failure
// tests: in kServe mode it stores PUT bodies in memory and answers GETs like
// bazel-remote; the other modes misbehave the way real servers and networks
// do. A thread per connection; the destructor closes every connection and
// joins every thread, so a hanging mode never outlives its test.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "diagnostics/result.h"

namespace ws::remote::testing {

enum class FaultMode {
  kServe,         // GET 200/404, PUT 201: a working cache
  kError500,      // every request: 500
  kHang,          // read the request, never answer
  kTruncate,      // GET: Content-Length 1000, 10 bytes, close (PUT as kServe)
  kWrongContent,  // GET: 200 with a body that is not what was stored (PUT as kServe)
  kSlow,          // GET: Content-Length 100000, one byte every 200 ms (PUT hangs)
  kForbidPut,     // GET as kServe, PUT: 403
};

class FaultServer {
 public:
  static Result<std::unique_ptr<FaultServer>> Start(FaultMode mode);
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& prefix = "") const;  // http://127.0.0.1:PORT<prefix>
  void set_mode(FaultMode mode) { mode_ = mode; }
  // Every answer waits this long first (a distant server's round trip).
  void set_latency_ms(int ms) { latency_ms_ = ms; }

  size_t requests() const { return requests_; }  // requests read, every method
  size_t puts() const { return puts_; }
  std::optional<std::string> Stored(const std::string& path) const;  // by request path
  void Store(const std::string& path, std::string body);

 private:
  FaultServer(int listen_fd, int port, int wake_fd, FaultMode mode);
  void AcceptLoop();
  void Serve(int fd);
  bool Respond(int fd, const std::string& method, const std::string& path, std::string body);
  // Keeps the connection open for `ms` (-1: until the peer closes it or the
  // server stops); true if it is still open afterwards.
  bool Linger(int fd, int ms);

  const int listen_fd_;
  const int port_;
  const int wake_fd_;  // an eventfd the destructor signals
  std::atomic<FaultMode> mode_;
  std::atomic<int> latency_ms_{0};
  std::atomic<bool> stop_{false};
  std::atomic<size_t> requests_{0}, puts_{0};

  mutable std::mutex mu_;
  std::map<std::string, std::string> store_;
  std::vector<int> connections_;  // open connection fds
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// A loopback port on which nothing listens (connections are refused).
int ClosedLoopbackPort();

}  // namespace ws::remote::testing
