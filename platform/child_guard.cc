#include "platform/child_guard.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>

namespace ws {
namespace {

// -j is at most 1024; a few more for tools run on the side.
constexpr size_t kMaxGroups = 4096;

std::mutex g_mutex;
int g_guard_fd = -1;  // our end of the socket; -1: no guard
bool g_guard_tried = false;

// The guard's whole life. It was forked from a process that may have
// threads, so it sticks to async-signal-safe calls and static memory.
[[noreturn]] void GuardMain(int fd) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  // A Ctrl-C or a kill of wasmship's process group is for wasmship; the
  // guard stays until wasmship is gone.
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) sigaction(signal, &ignore, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  setpgid(0, 0);
  // Hold nothing of wasmship's: a reader waiting for end-of-file on
  // wasmship's output must not wait for the guard.
  if (fd != 3) {
    dup2(fd, 3);
    fd = 3;
  }
  int null = ::open("/dev/null", O_RDWR);
  for (int std_fd = 0; std_fd < 3; ++std_fd) {
    if (null >= 0 && null != std_fd) dup2(null, std_fd);
  }
  close_range(4, ~0U, 0);

  static pid_t groups[kMaxGroups];
  size_t count = 0;
  static int32_t buffer[1024];
  size_t carry = 0;  // bytes of a partial message at the start of buffer
  for (;;) {
    ssize_t n = ::read(fd, reinterpret_cast<char*>(buffer) + carry, sizeof buffer - carry);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size_t bytes = carry + static_cast<size_t>(n);
    size_t whole = bytes / sizeof(int32_t);
    for (size_t i = 0; i < whole; ++i) {
      int32_t message = buffer[i];
      if (message > 0 && count < kMaxGroups) {
        groups[count++] = message;
      } else if (message < 0) {
        for (size_t j = 0; j < count; ++j) {
          if (groups[j] != -message) continue;
          groups[j] = groups[--count];
          break;
        }
      }
    }
    carry = bytes % sizeof(int32_t);
    if (carry != 0) {
      char* base = reinterpret_cast<char*>(buffer);
      for (size_t i = 0; i < carry; ++i) base[i] = base[whole * sizeof(int32_t) + i];
    }
  }
  for (size_t i = 0; i < count; ++i) ::kill(-groups[i], SIGKILL);
  _exit(0);
}

void StartGuard() {
  g_guard_tried = true;
  int fds[2];
  // A socket rather than a pipe: send(MSG_NOSIGNAL) cannot raise SIGPIPE in
  // wasmship should the guard be gone.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return;
  // No handler of wasmship's may run in the guard before it ignores them.
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[1]);
    GuardMain(fds[0]);
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    return;
  }
  g_guard_fd = fds[1];
}

void Tell(int32_t message) {
  if (g_guard_fd < 0) return;
  ssize_t n;
  do {
    n = ::send(g_guard_fd, &message, sizeof message, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof message)) {
    ::close(g_guard_fd);
    g_guard_fd = -1;
  }
}

}  // namespace

void GuardProcessGroup(pid_t pgid) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_guard_tried) StartGuard();
  Tell(static_cast<int32_t>(pgid));
}

void ReleaseProcessGroup(pid_t pgid) {
  std::lock_guard<std::mutex> lock(g_mutex);
  Tell(-static_cast<int32_t>(pgid));
}

}  // namespace ws
