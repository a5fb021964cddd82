#include "remote-cache/testing/fault_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace ws::remote::testing {
namespace {

// Binds 127.0.0.1:0 and returns the socket and its port.
std::pair<int, int> BindLoopback() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {-1, 0};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return {-1, 0};
  }
  return {fd, ntohs(addr.sin_port)};
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string Response(int status, const std::string& reason, const std::string& body, size_t content_length) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Length: " + std::to_string(content_length) +
         "\r\nContent-Type: application/octet-stream\r\n\r\n" + body;
}

std::string Response(int status, const std::string& reason, const std::string& body = "") {
  return Response(status, reason, body, body.size());
}

}  // namespace

Result<std::unique_ptr<FaultServer>> FaultServer::Start(FaultMode mode) {
  auto [fd, port] = BindLoopback();
  if (fd < 0 || listen(fd, 64) != 0)
    return Error{std::string("fault server: cannot listen: ") + strerror(errno)};
  int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake < 0) {
    close(fd);
    return Error{"fault server: eventfd failed"};
  }
  return std::unique_ptr<FaultServer>(new FaultServer(fd, port, wake, mode));
}

FaultServer::FaultServer(int listen_fd, int port, int wake_fd, FaultMode mode)
    : listen_fd_(listen_fd), port_(port), wake_fd_(wake_fd), mode_(mode) {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FaultServer::~FaultServer() {
  stop_ = true;
  uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
  acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    for (int fd : connections_) shutdown(fd, SHUT_RDWR);  // wakes blocked reads
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
  close(listen_fd_);
  close(wake_fd_);
}

std::string FaultServer::Url(const std::string& prefix) const {
  return "http://127.0.0.1:" + std::to_string(port_) + prefix;
}

std::optional<std::string> FaultServer::Stored(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = store_.find(path);
  if (it == store_.end()) return std::nullopt;
  return it->second;
}

void FaultServer::Store(const std::string& path, std::string body) {
  std::lock_guard lock(mu_);
  store_[path] = std::move(body);
}

void FaultServer::AcceptLoop() {
  while (!stop_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (stop_) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    connections_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

// Reads requests off one connection (keep-alive) until it closes or a mode
// ends it; then closes the socket.
void FaultServer::Serve(int fd) {
  std::string buffer;
  char chunk[16384];
  bool open = true;
  while (open && !stop_) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        open = false;
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    if (!open) break;
    std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::string method = head.substr(0, head.find(' '));
    size_t path_start = head.find(' ') + 1;
    std::string path = head.substr(path_start, head.find(' ', path_start) - path_start);
    size_t length = 0;
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::stoul(head.substr(at + 17));
    }
    while (buffer.size() < length) {
      ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        open = false;
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    if (!open) break;
    std::string body = buffer.substr(0, length);
    buffer.erase(0, length);
    ++requests_;
    if (method == "PUT") ++puts_;
    open = Respond(fd, method, path, std::move(body));
  }
  std::lock_guard lock(mu_);
  connections_.erase(std::find(connections_.begin(), connections_.end(), fd));
  close(fd);
}

// Answers one request as the mode says; false closes the connection.
bool FaultServer::Respond(int fd, const std::string& method, const std::string& path, std::string body) {
  FaultMode mode = mode_;
  if (latency_ms_ > 0 && !Linger(fd, latency_ms_)) return false;
  if (mode == FaultMode::kError500) return SendAll(fd, Response(500, "Internal Server Error"));
  if (mode == FaultMode::kHang || (mode == FaultMode::kSlow && method == "PUT")) return Linger(fd, -1);
  if (method == "PUT") {
    if (mode == FaultMode::kForbidPut) return SendAll(fd, Response(403, "Forbidden"));
    Store(path, std::move(body));
    return SendAll(fd, Response(201, "Created"));
  }
  if (method != "GET") return SendAll(fd, Response(405, "Method Not Allowed"));
  std::optional<std::string> stored = Stored(path);
  switch (mode) {
    case FaultMode::kTruncate: SendAll(fd, Response(200, "OK", std::string(10, 'x'), 1000)); return false;
    case FaultMode::kWrongContent:
      return SendAll(fd, Response(200, "OK", "this is not the content you stored"));
    case FaultMode::kSlow: {
      if (!SendAll(fd, Response(200, "OK", "", 100000))) return false;
      for (int i = 0; i < 100000 && !stop_; ++i) {
        if (!SendAll(fd, "x")) return false;
        if (!Linger(fd, 200)) return false;
      }
      return false;
    }
    default: break;
  }
  if (!stored) return SendAll(fd, Response(404, "Not Found"));
  return SendAll(fd, Response(200, "OK", *stored));
}

bool FaultServer::Linger(int fd, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop_) {
    int wait = -1;
    if (ms >= 0) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      wait = static_cast<int>(left.count());
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, wait) < 0 && errno != EINTR) return false;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char chunk[4096];
      ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return false;  // closed
    }
  }
  return false;
}

int ClosedLoopbackPort() {
  // The port was free a moment ago and nothing listens on it once closed.
  auto [fd, port] = BindLoopback();
  if (fd >= 0) close(fd);
  return port;
}

}  // namespace ws::remote::testing
