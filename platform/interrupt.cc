#include "platform/interrupt.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

namespace ws {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};
struct sigaction g_previous[3];

void OnSignal(int signal) {
  g_signal.store(signal);
  if (g_pipe[1] >= 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(g_pipe[1], &byte, 1);
  }
}

}  // namespace

InterruptCatcher::InterruptCatcher() {
  g_signal.store(0);
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &action, &g_previous[i]);
}

InterruptCatcher::~InterruptCatcher() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
  for (int& fd : g_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

bool InterruptRequested() { return g_signal.load() != 0; }
int InterruptSignal() { return g_signal.load(); }
int InterruptFd() { return g_pipe[0]; }

int InterruptExitCode() {
  int signal = g_signal.load();
  return 128 + (signal != 0 ? signal : SIGINT);
}

}  // namespace ws
