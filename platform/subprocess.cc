#include "platform/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

#include "platform/child_guard.h"
#include "platform/interrupt.h"

namespace ws {

std::string ProcessResult::Describe() const {
  if (timed_out) return "did not finish within " + DescribeSeconds(timeout_s);
  if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
  return "exit code " + std::to_string(exit_code);
}

std::optional<std::string> FindExecutable(const std::string& name) {
  auto executable = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    return executable(name) ? std::optional<std::string>(name) : std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (executable(candidate)) return candidate;
  }
  return std::nullopt;
}

namespace {

using Clock = std::chrono::steady_clock;

// Long enough for clang to remove its partial outputs, short enough that an
// interrupted build still ends within a couple of seconds.
constexpr auto kStopGrace = std::chrono::milliseconds(500);

// What a child needs, prepared before fork(): after it, only
// async-signal-safe calls (wasmship may have threads).
struct ChildSetup {
  const char* program;
  char* const* argv;
  const char* cwd;  // null: the current directory
  int null_fd;
  int out_fd;
  int error_fd;  // close-on-exec: carries errno when the exec fails
  pid_t parent;
};

[[noreturn]] void ChildMain(const ChildSetup& s) {
  // Its own process group, so that a terminal's Ctrl-C reaches only
  // wasmship, which then stops each group in order and cleans up.
  ::setpgid(0, 0);
  // Die with wasmship, even on SIGKILL. If wasmship died before this line
  // (the child now has another parent), the signal will never come: go.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != s.parent) _exit(127);
  struct sigaction defaults {};
  defaults.sa_handler = SIG_DFL;
  sigemptyset(&defaults.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) ::sigaction(signal, &defaults, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(s.null_fd, 0);
  ::dup2(s.out_fd, 1);
  ::dup2(s.out_fd, 2);
  if (s.cwd == nullptr || ::chdir(s.cwd) == 0) ::execv(s.program, s.argv);
  int error = errno;
  [[maybe_unused]] ssize_t n = ::write(s.error_fd, &error, sizeof error);
  _exit(127);
}

// Forks and execs; the child's pid, or errno when it could not be started.
Result<pid_t> Spawn(const ChildSetup& setup) {
  int errors[2];
  if (::pipe2(errors, O_CLOEXEC) != 0) return Error{std::string("pipe: ") + std::strerror(errno)};
  ChildSetup s = setup;
  s.error_fd = errors[1];
  // No signal handler of wasmship's may run in the child before it resets them.
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t pid = ::fork();
  if (pid == 0) ChildMain(s);
  int fork_error = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(errors[1]);
  if (pid < 0) {
    ::close(errors[0]);
    return Error{std::string("fork: ") + std::strerror(fork_error)};
  }
  // Also here, so that the group exists before wasmship may signal it.
  ::setpgid(pid, pid);
  int exec_error = 0;
  ssize_t n;
  do {
    n = ::read(errors[0], &exec_error, sizeof exec_error);
  } while (n < 0 && errno == EINTR);
  ::close(errors[0]);
  if (n == static_cast<ssize_t>(sizeof exec_error)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return Error{std::strerror(exec_error)};
  }
  return pid;
}

bool HasExited(pid_t pid) {
  siginfo_t info{};
  // WNOWAIT: the zombie keeps its process group id reserved until reaped.
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

}  // namespace

std::string DescribeSeconds(double seconds) {
  char text[32];
  if (seconds >= 60 && std::fmod(seconds, 60) == 0) {
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  } else {
    std::snprintf(text, sizeof text, "%g s", seconds);
  }
  return text;
}

SubprocessSet::~SubprocessSet() { StopAll(); }

Result<int> SubprocessSet::Start(const std::vector<std::string>& argv,
                                 const SpawnOptions& options) {
  if (argv.empty()) return Error{"internal: empty command"};
  std::optional<std::string> program = FindExecutable(argv[0]);
  if (!program) return Error{argv[0] + ": command not found"};

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error{std::string("pipe: ") + std::strerror(errno)};
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ChildSetup setup{program->c_str(), args.data(), options.cwd.empty() ? nullptr : options.cwd.c_str(),
                   null_fd, fds[1], -1, ::getpid()};
  Result<pid_t> pid = null_fd >= 0 ? Spawn(setup) : Result<pid_t>(Error{std::strerror(errno)});
  if (null_fd >= 0) ::close(null_fd);
  ::close(fds[1]);
  if (!pid) {
    ::close(fds[0]);
    return Error{"cannot run " + *program + ": " + pid.error().message};
  }
  GuardProcessGroup(*pid);
  int handle = next_handle_++;
  Running& process = running_[handle];
  process = Running{*pid, fds[0], {}, Clock::now(), std::nullopt, options.timeout_s};
  if (options.timeout_s > 0) {
    process.deadline = process.started + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.timeout_s));
  }
  return handle;
}

void SubprocessSet::Reap(int handle, Running& process, bool timed_out) {
  ::close(process.fd);
  ReleaseProcessGroup(process.pid);
  int status = 0;
  while (::waitpid(process.pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProcessResult result;
  result.output = std::move(process.output);
  result.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - process.started).count();
  result.timed_out = timed_out;
  if (timed_out) result.timeout_s = process.timeout_s;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  finished_.emplace_back(handle, std::move(result));
}

int SubprocessSet::PollTimeout() const {
  std::optional<Clock::time_point> nearest;
  for (const auto& [handle, process] : running_) {
    if (process.deadline && (!nearest || *process.deadline < *nearest)) nearest = process.deadline;
  }
  if (!nearest) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*nearest - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left + 1, 0, 60'000));
}

// A process past its deadline loses its whole group at once: a step that
// hangs is not asked twice.
void SubprocessSet::KillOverdue() {
  Clock::time_point now = Clock::now();
  for (auto it = running_.begin(); it != running_.end();) {
    Running& process = it->second;
    if (!process.deadline || now < *process.deadline) {
      ++it;
      continue;
    }
    ::kill(-process.pid, SIGKILL);
    Reap(it->first, process, /*timed_out=*/true);
    it = running_.erase(it);
  }
}

bool SubprocessSet::WaitForAny() {
  while (finished_.empty() && !running_.empty()) {
    std::vector<pollfd> fds;
    std::vector<int> handles;
    for (auto& [handle, process] : running_) {
      fds.push_back({process.fd, POLLIN, 0});
      handles.push_back(handle);
    }
    int interrupt_fd = InterruptFd();
    if (interrupt_fd >= 0) fds.push_back({interrupt_fd, POLLIN, 0});
    if (InterruptRequested()) return false;
    int ready = ::poll(fds.data(), fds.size(), PollTimeout());
    if (ready < 0 && errno != EINTR) return false;
    if (InterruptRequested()) return false;
    KillOverdue();
    for (size_t i = 0; i < handles.size(); ++i) {
      auto it = running_.find(handles[i]);
      if (fds[i].revents == 0 || it == running_.end()) continue;
      Running& process = it->second;
      char buffer[16384];
      ssize_t n = ::read(process.fd, buffer, sizeof buffer);
      if (n > 0) {
        process.output.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        Reap(handles[i], process);
        running_.erase(it);
      }
    }
  }
  return !InterruptRequested();
}

std::optional<std::pair<int, ProcessResult>> SubprocessSet::NextFinished() {
  if (finished_.empty()) return std::nullopt;
  auto next = std::move(finished_.front());
  finished_.erase(finished_.begin());
  return next;
}

void SubprocessSet::StopAll() {
  // Signal each group, so that whatever a child started (a launcher's
  // compiler) stops too; then wait a little for them to clean up.
  for (auto& [handle, process] : running_) ::kill(-process.pid, SIGINT);
  Clock::time_point deadline = Clock::now() + kStopGrace;
  for (auto& [handle, process] : running_) {
    while (!HasExited(process.pid) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // The leader may have ended and left others of its group behind; the
    // group id stays reserved until the leader is reaped below.
    ::kill(-process.pid, SIGKILL);
    ::close(process.fd);
    ReleaseProcessGroup(process.pid);
    int status = 0;
    while (::waitpid(process.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  running_.clear();
}

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const SpawnOptions& options) {
  SubprocessSet set;
  Result<int> started = set.Start(argv, options);
  if (!started) return started.error();
  while (set.running() > 0) {
    if (!set.WaitForAny()) {
      set.StopAll();
      return Error{"interrupted"};
    }
  }
  return set.NextFinished()->second;
}

}  // namespace ws
