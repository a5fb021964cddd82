#include "compiler-driver/job_pool.h"

#include <deque>
#include <map>

#include "platform/interrupt.h"

namespace ws {
namespace {

enum class State { kWaiting, kQueued, kRunning, kSucceeded, kFailed };

class Scheduler {
 public:
  Scheduler(std::vector<Job>& jobs, size_t parallelism, JobObserver& observer, CommandRunner& processes,
            double step_timeout_s)
      : jobs_(jobs),
        states_(jobs.size(), State::kWaiting),
        actions_(jobs.size()),
        parallelism_(parallelism == 0 ? 1 : parallelism),
        observer_(observer),
        processes_(processes),
        step_timeout_s_(step_timeout_s),
        total_(jobs.size()) {}

  PoolResult Run() {
    while (true) {
      if (InterruptRequested()) return Stop();
      bool progressed = PrepareReadyJobs();
      StartQueuedJobs();
      if (processes_.running() == 0) {
        if (progressed) continue;
        break;
      }
      if (!processes_.WaitForAny()) return Stop();
      while (auto done = processes_.NextFinished()) Finish(running_[done->first], done->second);
    }
    for (State s : states_) {
      if (s != State::kSucceeded) return PoolResult::kFailed;
    }
    return PoolResult::kOk;
  }

 private:
  PoolResult Stop() {
    processes_.StopAll();
    return PoolResult::kInterrupted;
  }

  // Prepares every waiting job whose dependencies have all ended.
  bool PrepareReadyJobs() {
    bool progressed = false;
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (states_[i] != State::kWaiting) continue;
      bool deps_failed = false, deps_done = true;
      for (size_t dep : jobs_[i].deps) {
        deps_failed |= states_[dep] == State::kFailed;
        deps_done &= states_[dep] == State::kSucceeded || states_[dep] == State::kFailed;
      }
      if (!deps_done) continue;
      progressed = true;
      if (deps_failed) {
        End(i, State::kFailed);
        continue;
      }
      actions_[i] = jobs_[i].prepare();
      if (actions_[i].kind == JobAction::kRun) {
        states_[i] = State::kQueued;
        queue_.push_back(i);
      } else {
        End(i, actions_[i].kind == JobAction::kDone ? State::kSucceeded : State::kFailed);
      }
      if (InterruptRequested()) return false;
    }
    return progressed;
  }

  void StartQueuedJobs() {
    while (!queue_.empty() && processes_.running() < parallelism_) {
      size_t i = queue_.front();
      queue_.pop_front();
      observer_.JobStarted(jobs_[i], actions_[i].argv, ++started_, total_);
      Result<int> handle = processes_.Start(actions_[i].argv, {.cwd = actions_[i].cwd, .timeout_s = step_timeout_s_});
      if (!handle) {
        ProcessResult failure{127, 0, "wasmship: " + handle.error().message + "\n"};
        Finish(i, failure);
        continue;
      }
      states_[i] = State::kRunning;
      running_[*handle] = i;
    }
  }

  void Finish(size_t i, const ProcessResult& result) {
    bool ok = result.Succeeded() && jobs_[i].finish(result);
    if (!result.Succeeded() && jobs_[i].failed) jobs_[i].failed(result);
    observer_.JobFinished(jobs_[i], result, ok);
    states_[i] = ok ? State::kSucceeded : State::kFailed;
  }

  // A job that ends without running a command no longer counts in the total.
  void End(size_t i, State state) {
    states_[i] = state;
    --total_;
  }

  std::vector<Job>& jobs_;
  std::vector<State> states_;
  std::vector<JobAction> actions_;
  size_t parallelism_;
  JobObserver& observer_;
  CommandRunner& processes_;
  double step_timeout_s_;
  std::deque<size_t> queue_;
  std::map<int, size_t> running_;
  size_t started_ = 0;
  size_t total_;
};

}  // namespace

PoolResult RunJobs(std::vector<Job>& jobs, size_t parallelism, JobObserver& observer,
                   double step_timeout_s) {
  SubprocessRunner processes;
  return RunJobs(jobs, parallelism, observer, processes, step_timeout_s);
}

PoolResult RunJobs(std::vector<Job>& jobs, size_t parallelism, JobObserver& observer, CommandRunner& runner,
                   double step_timeout_s) {
  return Scheduler(jobs, parallelism, observer, runner, step_timeout_s).Run();
}

}  // namespace ws
