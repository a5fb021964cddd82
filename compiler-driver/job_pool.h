// Runs a graph of build jobs with up to N external commands at once.
//
// A job becomes ready when the jobs it depends on have succeeded. Its
// prepare() runs on the calling thread and decides: already up to date
// (done), run this command, or failed. Commands run in parallel; finish()
// sees each result. A failed job fails its dependents, while independent
// jobs keep going so that one run reports every broken file.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "compiler-driver/command_runner.h"
#include "platform/subprocess.h"

namespace ws {

struct JobAction {
  enum Kind { kDone, kRun, kFailed };
  Kind kind = kDone;
  std::vector<std::string> argv;  // for kRun
  std::string cwd;

  static JobAction Done() { return {kDone, {}, {}}; }
  static JobAction Failed() { return {kFailed, {}, {}}; }
  static JobAction Run(std::vector<std::string> argv, std::string cwd) {
    return {kRun, std::move(argv), std::move(cwd)};
  }
};

struct Job {
  std::string description;  // "compile src/main.cpp"
  std::vector<size_t> deps;
  std::function<JobAction()> prepare;
  // Runs after the command succeeded; returns false if the job failed anyway.
  std::function<bool(const ProcessResult&)> finish;
  // Optional: runs after the command failed (to add advice to its output).
  std::function<void(const ProcessResult&)> failed;
};

class JobObserver {
 public:
  virtual ~JobObserver() = default;
  // A command starts; `index` counts from 1 up to the current estimate `total`.
  virtual void JobStarted(const Job& job, const std::vector<std::string>& argv, size_t index,
                          size_t total) = 0;
  // A command ended; `output` is what it printed (maybe empty).
  virtual void JobFinished(const Job& job, const ProcessResult& result, bool ok) = 0;
};

enum class PoolResult { kOk, kFailed, kInterrupted };

// `step_timeout_s` (0: none) limits each command's wall-clock time: past it
// the command's process group is killed and the job fails with a result
// whose timed_out is set.
PoolResult RunJobs(std::vector<Job>& jobs, size_t parallelism, JobObserver& observer,
                   double step_timeout_s = 0);
// The same, with the commands run by `runner` (tests pass a fake).
PoolResult RunJobs(std::vector<Job>& jobs, size_t parallelism, JobObserver& observer, CommandRunner& runner,
                   double step_timeout_s = 0);

}  // namespace ws
