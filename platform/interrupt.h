// Ctrl-C (SIGINT), SIGTERM and SIGHUP turn into a flag the build loop polls,
// so that an interrupted build stops its compilers, removes its temporary
// files and leaves the previous good output in place.
#pragma once

namespace ws {

class InterruptCatcher {
 public:
  InterruptCatcher();   // installs the handlers
  ~InterruptCatcher();  // restores the previous ones
  InterruptCatcher(const InterruptCatcher&) = delete;
  InterruptCatcher& operator=(const InterruptCatcher&) = delete;
};

bool InterruptRequested();
// The signal that arrived (for the exit status 128+N), or 0.
int InterruptSignal();
// The exit status for the interrupt: 130 for SIGINT, 143 for SIGTERM,
// 129 for SIGHUP (130 when none arrived).
int InterruptExitCode();
// A file descriptor that becomes readable when an interrupt arrives; -1 when
// no InterruptCatcher is active.
int InterruptFd();

}  // namespace ws
