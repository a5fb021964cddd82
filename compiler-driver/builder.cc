// Build(): load the manifest, take the project lock, plan, run the jobs,
// write the report. Every output is written atomically, so an error or an
// interrupt at any point leaves the previous good module in place.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/compile_database.h"
#include "compiler-driver/compiler_driver.h"
#include "platform/file_lock.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Forwards job pool events to the build observer and times the compile stage.
class StageObserver : public JobObserver {
 public:
  explicit StageObserver(BuildObserver& observer) : observer_(observer) {}

  void JobStarted(const Job& job, const std::vector<std::string>& argv, size_t index,
                  size_t total) override {
    observer_.StepStarted(job.description, argv, index, total);
  }
  void JobFinished(const Job& job, const ProcessResult& result, bool ok) override {
    std::string output = result.output;
    if (!result.Succeeded() && output.empty()) output = job.description + " failed: " + result.Describe() + "\n";
    observer_.StepFinished(job.description, output, ok);
  }

 private:
  BuildObserver& observer_;
};

// Jobs that finish without running anything still leave the compile stage's
// timing meaningful: it ends when the last compile job ends.
void TimeStages(std::vector<Job>& jobs, size_t link_index, Clock::time_point start,
                double& compile_ms) {
  auto prepare_link = jobs[link_index].prepare;
  jobs[link_index].prepare = [prepare_link, start, &compile_ms] {
    compile_ms = MsSince(start);
    return prepare_link();
  };
}

std::optional<FileLock> LockProject(const std::string& state_dir, BuildObserver& observer,
                                    DiagnosticSink& sink) {
  if (Status made = MakeDirectories(state_dir); !made) {
    sink.Error({}, made.error().message);
    return std::nullopt;
  }
  std::string path = state_dir + "/lock";
  Result<FileLock> lock = FileLock::TryAcquire(path);
  if (lock && lock->held()) return std::move(*lock);
  if (lock) {
    observer.Message("waiting for another build of this project to finish...");
    Result<FileLock> waited = FileLock::Acquire(path);
    if (waited) return std::move(*waited);
    sink.Error({}, waited.error().message);
    return std::nullopt;
  }
  sink.Error({}, lock.error().message);
  return std::nullopt;
}

bool HasPch(const CompileUnit& unit) {
  return std::find(unit.command.begin(), unit.command.end(), "-include-pch") != unit.command.end();
}

BuildReport MakeReport(const Manifest& manifest, const Profile& profile, const BuildPlan& plan,
                       const BuildState& state) {
  BuildReport report;
  report.app = manifest.app_name;
  report.version = manifest.app_version;
  report.profile = profile.name;
  report.module = fs::path(plan.module_path).filename().string();
  report.module_bytes = state.link.module_bytes;
  report.link_ms = state.link.ms;
  report.linked = state.link.linked;
  for (const UnitState& unit : state.units) report.units.push_back(unit.report);
  return report;
}

}  // namespace

BuildOutcome Build(const BuildOptions& options, BuildObserver& observer, DiagnosticSink& sink) {
  Clock::time_point start = Clock::now();
  BuildOutcome outcome;
  std::optional<Manifest> manifest = LoadManifest(options.manifest_path, sink);
  if (!manifest) return outcome;
  const Profile* profile = FindProfile(*manifest, options.profile, sink);
  if (profile == nullptr) return outcome;
  std::optional<FileLock> lock = LockProject(StateDirFor(*manifest), observer, sink);
  if (!lock) {
    outcome.status = InterruptRequested() ? BuildStatus::kInterrupted : BuildStatus::kConfigError;
    return outcome;
  }
  std::optional<BuildPlan> plan = PlanBuild(*manifest, *profile, options, sink);
  if (!plan) return outcome;
  if (Status db = WriteCompileDatabase(*plan); !db) observer.Message("warning: " + db.error().message);

  BuildState state(*plan, options.color, observer, sink);
  state.expander_id = ExecutableIdentity(plan->self, plan->state_dir);
  std::vector<Job> jobs = {MakePchJob(state)};
  const size_t pch_job = 0;
  std::vector<size_t> compile_jobs;
  for (size_t i = 0; i < plan->units.size(); ++i) {
    const CompileUnit& unit = plan->units[i];
    std::vector<size_t> deps;
    if (unit.original.empty() && !HasPch(unit)) {
      // Runtime and C sources need nothing first.
    } else if (!unit.original.empty()) {
      jobs.push_back(MakeExpandJob(state, i, {pch_job}));
      deps = {jobs.size() - 1};
    } else {
      deps = {pch_job};
    }
    compile_jobs.push_back(jobs.size());
    jobs.push_back(MakeCompileJob(state, i, std::move(deps)));
  }
  jobs.push_back(MakeLinkJob(state, compile_jobs));
  double compile_ms = 0;
  TimeStages(jobs, jobs.size() - 1, Clock::now(), compile_ms);

  size_t parallelism = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  StageObserver stage_observer(observer);
  PoolResult result = RunJobs(jobs, parallelism, stage_observer);

  outcome.report = MakeReport(*manifest, *profile, *plan, state);
  outcome.report.compile_ms = compile_ms;
  outcome.module_path = plan->module_path;
  outcome.module_bytes = state.link.module_bytes;
  if (result == PoolResult::kInterrupted) {
    outcome.status = BuildStatus::kInterrupted;
    return outcome;
  }
  if (result == PoolResult::kFailed) {
    outcome.status = BuildStatus::kBuildError;
    return outcome;
  }
  outcome.up_to_date = !state.link.linked && outcome.report.CountCache(CacheStatus::kHit) == plan->units.size();
  outcome.report.total_ms = MsSince(start);
  std::string report_path = (fs::path(plan->module_path).parent_path() / "report.json").string();
  if (Status written = WriteFileAtomically(report_path, BuildReportJson(outcome.report)); !written) {
    sink.Error({}, written.error().message);
    outcome.status = BuildStatus::kBuildError;
    return outcome;
  }
  outcome.status = BuildStatus::kOk;
  return outcome;
}

std::optional<ExpansionInputs> PlanExpansion(const BuildOptions& options, const std::string& source,
                                             DiagnosticSink& sink) {
  std::optional<Manifest> manifest = LoadManifest(options.manifest_path, sink);
  if (!manifest) return std::nullopt;
  const Profile* profile = FindProfile(*manifest, options.profile, sink);
  if (profile == nullptr) return std::nullopt;
  std::optional<BuildPlan> plan = PlanBuild(*manifest, *profile, options, sink);
  if (!plan) return std::nullopt;
  std::string wanted = fs::path(source).lexically_normal().string();
  for (const CompileUnit& unit : plan->units) {
    if (unit.display != wanted) continue;
    ExpansionInputs inputs{unit.original.empty() ? unit.source : unit.original, unit.display, unit.expand_args,
                           !unit.original.empty()};
    if (!fs::exists(fs::path(plan->root) / plan->pch.output)) {
      std::erase_if(inputs.clang_args, [](const std::string& a) { return a.find("pch") != std::string::npos; });
      std::erase(inputs.clang_args, plan->pch.output);
    }
    return inputs;
  }
  sink.Error({source, 0, 0, 1}, "not a source of this project", {"sources are the files matching `sources` in " + manifest->path});
  return std::nullopt;
}

}  // namespace ws
