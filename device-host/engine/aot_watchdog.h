// The aot engine's watchdog: a wall-clock budget per call. Compiled wasm
// cannot be stepped, so a POSIX timer (timer_create, delivered to the
// calling thread only: SIGEV_THREAD_ID) sends SIGALRM when the budget runs
// out, and then every 10 ms until disarmed. The handler calls the running
// module's ws_glue_watchdog_fired(), which siglongjmps back to the call
// site in the glue, or, while host code runs, lets the glue do so as soon
// as control returns to wasm (aot_glue_runtime.cc). The repetition makes a
// signal that arrives before the glue is ready harmless: the next one
// lands. SIGALRM that is not ours is passed to the previous handler.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace ws::host {

// Also computes where this thread's native stack must stop for wasm code:
// a margin above its lowest address stays free for host functions and
// signal handlers. nullptr when unknown.
char* WasmStackLimit();

class WatchdogScope {
 public:
  // Arms when `ms` > 0 and no other watched call runs on this thread (a
  // nested call is covered by the outer one's watchdog).
  WatchdogScope(uint32_t ms, void (*fire)());
  ~WatchdogScope();
  WatchdogScope(const WatchdogScope&) = delete;
  WatchdogScope& operator=(const WatchdogScope&) = delete;

  bool armed() const { return armed_; }
  // Why the timer could not be armed (then the call must not run).
  const std::string& error() const { return error_; }

  struct Watch {
    void (*fire)() = nullptr;
    timespec deadline{};
  };

 private:
  Watch watch_;
  bool armed_ = false;
  std::string error_;
};

}  // namespace ws::host
