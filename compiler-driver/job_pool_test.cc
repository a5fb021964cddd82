#include "compiler-driver/job_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <unistd.h>

namespace ws {
namespace {

class RecordingObserver : public JobObserver {
 public:
  void JobStarted(const Job& job, const std::vector<std::string>&, size_t index, size_t total) override {
    started.push_back(job.description + " " + std::to_string(index) + "/" + std::to_string(total));
  }
  void JobFinished(const Job& job, const ProcessResult&, bool ok) override {
    finished.push_back(job.description + (ok ? " ok" : " failed"));
  }
  std::vector<std::string> started, finished;
};

Job Command(std::string name, std::string script, std::vector<size_t> deps = {}) {
  Job job;
  job.description = std::move(name);
  job.deps = std::move(deps);
  job.prepare = [script] { return JobAction::Run({"sh", "-c", script}, ""); };
  job.finish = [](const ProcessResult&) { return true; };
  return job;
}

// Each job waits (up to 10 s) until all four have started: that can only
// succeed when they run at the same time.
TEST(JobPoolTest, RunsIndependentJobsInParallel) {
  std::string dir = testing::TempDir() + "ws_pool_parallel_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string script = "touch " + dir + "/$$; for i in $(seq 100); do [ $(ls " + dir +
                       " | wc -l) -ge 4 ] && exit 0; sleep 0.1; done; exit 1";
  std::vector<Job> jobs;
  for (int i = 0; i < 4; ++i) jobs.push_back(Command("wait" + std::to_string(i), script));
  RecordingObserver observer;
  EXPECT_EQ(RunJobs(jobs, 4, observer), PoolResult::kOk);
  EXPECT_EQ(observer.finished.size(), 4u);
}

TEST(JobPoolTest, RespectsParallelismLimit) {
  std::vector<Job> jobs;
  std::string dir = testing::TempDir() + "ws_pool_limit_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::string script = "mkdir -p " + dir + "; n=$(ls " + dir + " | wc -l); touch " + dir +
                       "/$$; [ $n -lt 2 ] || exit 9; sleep 0.1; rm " + dir + "/$$";
  for (int i = 0; i < 6; ++i) jobs.push_back(Command("j" + std::to_string(i), script));
  RecordingObserver observer;
  EXPECT_EQ(RunJobs(jobs, 2, observer), PoolResult::kOk);
}

TEST(JobPoolTest, DependentsWaitAndFailuresPropagate) {
  std::vector<Job> jobs;
  jobs.push_back(Command("a", "exit 0"));
  jobs.push_back(Command("b", "exit 1"));
  jobs.push_back(Command("c", "exit 0", {0}));
  jobs.push_back(Command("d", "exit 0", {0, 1}));
  RecordingObserver observer;
  EXPECT_EQ(RunJobs(jobs, 1, observer), PoolResult::kFailed);
  EXPECT_EQ(observer.finished, (std::vector<std::string>{"a ok", "b failed", "c ok"}));
}

TEST(JobPoolTest, UpToDateJobsDoNotRunOrCount) {
  std::vector<Job> jobs;
  Job cached;
  cached.description = "cached";
  cached.prepare = [] { return JobAction::Done(); };
  jobs.push_back(cached);
  jobs.push_back(Command("link", "true", {0}));
  RecordingObserver observer;
  EXPECT_EQ(RunJobs(jobs, 2, observer), PoolResult::kOk);
  EXPECT_EQ(observer.started, (std::vector<std::string>{"link 1/1"}));
}

TEST(JobPoolTest, MissingProgramFailsTheJob) {
  std::vector<Job> jobs;
  Job job;
  job.description = "missing";
  job.prepare = [] { return JobAction::Run({"wasmship-no-such-tool"}, ""); };
  job.finish = [](const ProcessResult&) { return true; };
  jobs.push_back(job);
  RecordingObserver observer;
  EXPECT_EQ(RunJobs(jobs, 1, observer), PoolResult::kFailed);
}

// A job past the step timeout is stopped and fails; the others go on.
TEST(JobPoolTest, StepTimeoutStopsAHangingJob) {
  std::vector<Job> jobs;
  jobs.push_back(Command("hang", "sleep 30"));
  jobs.push_back(Command("quick", "exit 0"));
  bool timed_out = false;
  jobs[0].failed = [&timed_out](const ProcessResult& result) { timed_out = result.timed_out; };
  RecordingObserver observer;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RunJobs(jobs, 2, observer, /*step_timeout_s=*/0.3), PoolResult::kFailed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(observer.finished, (std::vector<std::string>{"quick ok", "hang failed"}));
}

}  // namespace
}  // namespace ws
