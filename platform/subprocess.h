// Running external tools (clang, wasm-ld, cc): one at a time with
// RunProcess, or many in parallel with SubprocessSet, ninja-style. Output
// (stdout and stderr interleaved) is captured so that the caller can print
// each job's diagnostics in one piece.
//
// No child outlives wasmship: each leads its own process group, which
// wasmship stops on an interrupt or a timeout, and dies with wasmship even
// on SIGKILL (PR_SET_PDEATHSIG, and child_guard.h for its own children).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws {

struct ProcessResult {
  int exit_code = -1;  // valid when term_signal == 0
  int term_signal = 0;
  std::string output;
  double wall_ms = 0;  // from start to exit
  bool timed_out = false;  // killed when SpawnOptions::timeout_s ran out ...
  double timeout_s = 0;    // ... which was this

  bool Succeeded() const { return !timed_out && term_signal == 0 && exit_code == 0; }
  // "exit code 1", "killed by signal 9" or "did not finish within 90 s".
  std::string Describe() const;
};

struct SpawnOptions {
  std::string cwd;  // empty: the current directory
  // Wall-clock limit; past it the process group is killed (SIGKILL) and the
  // result says timed_out. 0: none.
  double timeout_s = 0;
};

// "90 s", "2.5 s", "20 min": a duration for messages.
std::string DescribeSeconds(double seconds);

class SubprocessSet {
 public:
  SubprocessSet() = default;
  ~SubprocessSet();  // stops whatever still runs
  SubprocessSet(const SubprocessSet&) = delete;
  SubprocessSet& operator=(const SubprocessSet&) = delete;

  // Starts `argv` (argv[0] is looked up on PATH when it has no slash).
  // Returns a handle, or the reason it could not start.
  Result<int> Start(const std::vector<std::string>& argv, const SpawnOptions& options = {});

  // Blocks until a process ends (or runs out of time) or an interrupt
  // arrives (see interrupt.h). Returns false when interrupted.
  bool WaitForAny();

  // A process that has ended, with its handle; nullopt when none has.
  std::optional<std::pair<int, ProcessResult>> NextFinished();

  size_t running() const { return running_.size(); }

  // Asks every running process group to stop (SIGINT, then SIGKILL after a
  // short grace period) and reaps them.
  void StopAll();

 private:
  struct Running {
    pid_t pid = -1;
    int fd = -1;
    std::string output;
    std::chrono::steady_clock::time_point started;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    double timeout_s = 0;
  };
  void Reap(int handle, Running& process, bool timed_out = false);
  // Milliseconds until the nearest deadline, for poll(); -1: none.
  int PollTimeout() const;
  void KillOverdue();

  std::map<int, Running> running_;
  std::vector<std::pair<int, ProcessResult>> finished_;
  int next_handle_ = 0;
};

// Runs `argv` to completion and returns its result; an error if it could
// not be started at all (for example, the program does not exist).
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const SpawnOptions& options = {});

// Absolute path of `name` on PATH (or `name` itself if it contains a slash
// and is executable); nullopt when not found.
std::optional<std::string> FindExecutable(const std::string& name);

}  // namespace ws
