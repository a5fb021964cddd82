#include "platform/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <thread>

#include "platform/interrupt.h"

extern char** environ;

namespace ws {

std::string ProcessResult::Describe() const {
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

SubprocessSet::~SubprocessSet() { StopAll(); }

Result<int> SubprocessSet::Start(const std::vector<std::string>& argv,
                                 const SpawnOptions& options) {
  if (argv.empty()) return Error{"internal: empty command"};
  std::optional<std::string> program = FindExecutable(argv[0]);
  if (!program) return Error{argv[0] + ": command not found"};

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error{std::string("pipe: ") + std::strerror(errno)};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  // Children get their own process group, so a terminal's Ctrl-C reaches only
  // us; we then stop them ourselves, in order, and clean up.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawn(&pid, program->c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return Error{"cannot run " + *program + ": " + std::strerror(rc)};
  }
  int handle = next_handle_++;
  running_[handle] = Running{pid, fds[0], {}, std::chrono::steady_clock::now()};
  return handle;
}

void SubprocessSet::Reap(int handle, Running& process) {
  ::close(process.fd);
  int status = 0;
  while (::waitpid(process.pid, &status, 0) < 0 && errno == EINTR) {
  }
  ProcessResult result;
  result.output = std::move(process.output);
  result.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             process.started).count();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  finished_.emplace_back(handle, std::move(result));
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
    int ready = ::poll(fds.data(), fds.size(), -1);
    if (ready < 0 && errno != EINTR) return false;
    if (InterruptRequested()) return false;
    for (size_t i = 0; i < handles.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Running& process = running_[handles[i]];
      char buffer[16384];
      ssize_t n = ::read(process.fd, buffer, sizeof buffer);
      if (n > 0) {
        process.output.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        Reap(handles[i], process);
        running_.erase(handles[i]);
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
  using namespace std::chrono;
  // Each child leads its own process group; signal the group so that
  // whatever it started (a launcher's compiler) stops too.
  for (auto& [handle, process] : running_) ::kill(-process.pid, SIGINT);
  auto deadline = steady_clock::now() + seconds(2);
  for (auto& [handle, process] : running_) {
    int status = 0;
    while (::waitpid(process.pid, &status, WNOHANG) == 0) {
      if (steady_clock::now() > deadline) {
        ::kill(-process.pid, SIGKILL);
        ::waitpid(process.pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    ::close(process.fd);
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
