#include "device-host/engine/aot_watchdog.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid  // glibc < 2.41 lacks the name
#endif

namespace ws::host {
namespace {

constexpr int kSignal = SIGALRM;
constexpr int kTimerMark = 0x77736864;  // "wshd" in si_value: our timers
constexpr long kRepeatNs = 10'000'000;
constexpr size_t kMinMargin = 256 << 10;
constexpr size_t kMaxMargin = 1 << 20;
constexpr size_t kMaxWasmStack = size_t{256} << 20;

// Read by the signal handler: a plain pointer in initial-exec TLS, which
// is safe to touch from a handler (no lazy allocation).
[[gnu::tls_model("initial-exec")]] thread_local WatchdogScope::Watch* t_active = nullptr;
struct sigaction g_previous {};

bool Reached(const timespec& deadline) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

void Chain(int sig, siginfo_t* info, void* context) {
  if ((g_previous.sa_flags & SA_SIGINFO) != 0) {
    if (g_previous.sa_sigaction != nullptr) g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
  }
}

void OnSignal(int sig, siginfo_t* info, void* context) {
  int saved_errno = errno;
  if (info != nullptr && info->si_code == SI_TIMER && info->si_value.sival_int == kTimerMark) {
    WatchdogScope::Watch* watch = t_active;
    // A stale tick (after disarming, or before the deadline of a later
    // call) finds no watch or an unreached deadline and is dropped.
    if (watch != nullptr && Reached(watch->deadline)) watch->fire();
  } else {
    Chain(sig, info, context);
  }
  errno = saved_errno;
}

void InstallHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_sigaction = OnSignal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(kSignal, &action, &g_previous);
  });
}

// One timer per thread, created on the thread's first watched call.
struct ThreadTimer {
  timer_t id{};
  bool created = false;
  ~ThreadTimer() {
    if (created) timer_delete(id);
  }
  std::string Ensure() {
    if (created) return "";
    sigevent event{};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = kSignal;
    event.sigev_value.sival_int = kTimerMark;
    event.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &event, &id) != 0) {
      return std::string("cannot create the watchdog timer: ") + std::strerror(errno);
    }
    created = true;
    return "";
  }
};

thread_local ThreadTimer t_timer;

char* ComputeStackLimit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return nullptr;
  void* low = nullptr;
  size_t size = 0;
  int got = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (got != 0 || low == nullptr || size == 0) return nullptr;
  size_t margin = std::clamp(size / 8, kMinMargin, kMaxMargin);
  if (size <= 2 * margin) margin = size / 2;  // a small thread stack: half each
  char* top = static_cast<char*>(low) + size;
  char* limit = static_cast<char*>(low) + margin;
  // An unlimited main-thread stack reports a huge size; stay modest.
  return std::max(limit, top - std::min(size, kMaxWasmStack));
}

}  // namespace

char* WasmStackLimit() {
  thread_local char* limit = ComputeStackLimit();
  return limit;
}

WatchdogScope::WatchdogScope(uint32_t ms, void (*fire)()) {
  if (ms == 0 || t_active != nullptr) return;
  InstallHandler();
  error_ = t_timer.Ensure();
  if (!error_.empty()) return;
  clock_gettime(CLOCK_MONOTONIC, &watch_.deadline);
  watch_.deadline.tv_sec += ms / 1000;
  watch_.deadline.tv_nsec += static_cast<long>(ms % 1000) * 1'000'000;
  if (watch_.deadline.tv_nsec >= 1'000'000'000) {
    watch_.deadline.tv_sec += 1;
    watch_.deadline.tv_nsec -= 1'000'000'000;
  }
  watch_.fire = fire;
  t_active = &watch_;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  itimerspec spec{};
  spec.it_value.tv_sec = ms / 1000;
  spec.it_value.tv_nsec = static_cast<long>(ms % 1000) * 1'000'000;
  spec.it_interval.tv_nsec = kRepeatNs;
  if (timer_settime(t_timer.id, 0, &spec, nullptr) != 0) {
    t_active = nullptr;
    error_ = std::string("cannot arm the watchdog timer: ") + std::strerror(errno);
    return;
  }
  armed_ = true;
}

WatchdogScope::~WatchdogScope() {
  if (!armed_) return;
  // Forget the watch first: a tick from here on is dropped.
  t_active = nullptr;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  itimerspec stop{};
  timer_settime(t_timer.id, 0, &stop, nullptr);
}

}  // namespace ws::host
