// Build(): load the manifest, take the project lock, plan, run the jobs,
// write the report. Every output is written atomically, so an error or an
// interrupt at any point leaves the previous good module in place.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/compile_database.h"
#include "compiler-driver/release_outputs.h"
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

// The compile stage ends when the last compile job ends (some finish
// without running anything, so each one notes the time it was done).
void TimeCompileStage(std::vector<Job>& jobs, const std::vector<size_t>& compile_jobs, Clock::time_point start,
                      double& compile_ms) {
  for (size_t i : compile_jobs) {
    auto prepare = jobs[i].prepare;
    auto finish = jobs[i].finish;
    jobs[i].prepare = [prepare, start, &compile_ms] {
      JobAction action = prepare();
      compile_ms = std::max(compile_ms, MsSince(start));
      return action;
    };
    jobs[i].finish = [finish, start, &compile_ms](const ProcessResult& result) {
      bool ok = finish(result);
      compile_ms = std::max(compile_ms, MsSince(start));
      return ok;
    };
  }
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

// One variant's jobs: precompile, expand, compile, link, optimize.
void AddJobs(BuildState& state, std::vector<Job>& jobs, std::vector<size_t>& compile_jobs) {
  const BuildPlan& plan = state.plan;
  const size_t pch_job = jobs.size();
  jobs.push_back(MakePchJob(state));
  std::vector<size_t> mine;
  for (size_t i = 0; i < plan.units.size(); ++i) {
    const CompileUnit& unit = plan.units[i];
    std::vector<size_t> deps;
    if (!unit.original.empty()) {
      jobs.push_back(MakeExpandJob(state, i, {pch_job}));
      deps = {jobs.size() - 1};
    } else if (HasPch(unit)) {
      deps = {pch_job};
    }
    mine.push_back(jobs.size());
    jobs.push_back(MakeCompileJob(state, i, std::move(deps)));
  }
  compile_jobs.insert(compile_jobs.end(), mine.begin(), mine.end());
  jobs.push_back(MakeLinkJob(state, mine));
  jobs.push_back(MakeOptimizeJob(state, jobs.size() - 1));
  jobs.push_back(MakePackageJob(state, jobs.size() - 1));
}

void Summarize(const Manifest& manifest, const Profile& profile, const std::vector<std::unique_ptr<BuildState>>& states,
               BuildOutcome& outcome) {
  BuildReport& report = outcome.report;
  report.app = manifest.app_name;
  report.version = manifest.app_version;
  report.profile = profile.name;
  for (const auto& state : states) {
    const BuildPlan& plan = state->plan;
    for (const UnitState& unit : state->units) {
      report.units.push_back(unit.report);
      report.units.back().variant = plan.variant.name;
    }
    report.link_ms += state->link.link_ms;
    report.optimize_ms += state->link.optimize_ms;
    report.package_ms += state->link.package_ms;
    report.linked |= state->link.linked;
    std::string file = fs::path(plan.module_path).filename().string();
    std::string bundle = "bundles/" + fs::path(plan.package.bundle_path).filename().string();
    report.variants.push_back({plan.variant.name, plan.variant.devices, plan.variant.features.Names(), file,
                               state->link.module_bytes, state->link.linked, state->link.link_ms,
                               state->link.optimize_ms, state->link.package_ms, state->link.optimizer_report,
                               state->link.package_report, bundle});
    outcome.module_paths.push_back(plan.module_path);
    outcome.bundle_paths.push_back(plan.package.bundle_path);
  }
  const BuildPlan& first = states.front()->plan;
  report.module = fs::path(first.module_path).filename().string();
  report.module_bytes = states.front()->link.module_bytes;
  outcome.module_path = first.module_path;
  outcome.symbols_path = first.symbols_path;
  outcome.bundle_path = first.package.bundle_path;
  outcome.module_bytes = report.module_bytes;
}

// The report, the budget gate and the release index, after every variant
// is bundled. A budget violation still writes everything, so that the
// reports can say what is over.
BuildStatus FinishOutputs(const Manifest& manifest, const Profile& profile, const BuildOptions& options,
                          const BuildPlan& first, BuildOutcome& outcome, DiagnosticSink& sink) {
  outcome.document = BuildReportJson(outcome.report);
  bool budgets_failed = false;
  if (profile.budget && options.check_budgets) {
    std::optional<size::Json> budgets = CheckReportBudgets(manifest, options.baseline_report, outcome.document, sink);
    if (!budgets) return BuildStatus::kConfigError;
    for (const std::string& line : BudgetViolations(*budgets)) {
      sink.Error({manifest.path, 0, 0, 1}, "budget exceeded: " + line);
      budgets_failed = true;
    }
  } else {
    outcome.document["budgets"] = size::BudgetsToJson({}, /*checked=*/false, options.baseline_report);
  }
  std::string out_dir = fs::path(first.module_path).parent_path().string();
  std::string stamp = (fs::path(first.state_dir) / "outputs.stamp").string();
  if (Status written = WriteReleaseOutputs(out_dir, outcome.document, stamp); !written) {
    sink.Error({}, written.error().message);
    return BuildStatus::kBuildError;
  }
  return budgets_failed ? BuildStatus::kBudgetExceeded : BuildStatus::kOk;
}

}  // namespace

BuildOutcome Build(const BuildOptions& options, BuildObserver& observer, DiagnosticSink& sink) {
  Clock::time_point start = Clock::now();
  BuildOutcome outcome;
  std::optional<Manifest> manifest = LoadManifest(options.manifest_path, sink);
  if (!manifest) return outcome;
  const Profile* profile = FindProfile(*manifest, options.profile, sink);
  if (profile == nullptr) return outcome;
  std::optional<std::vector<Variant>> variants = ChooseVariants(*manifest, *profile, options, sink);
  if (!variants) return outcome;
  std::optional<SigningKeySource> key = ResolveSigningKey(*manifest, profile->name == "release", sink);
  if (!key) return outcome;
  std::optional<FileLock> lock = LockProject(StateDirFor(*manifest), observer, sink);
  if (!lock) {
    outcome.status = InterruptRequested() ? BuildStatus::kInterrupted : BuildStatus::kConfigError;
    return outcome;
  }
  std::vector<BuildPlan> plans;
  for (const Variant& variant : *variants) {
    std::optional<BuildPlan> plan = PlanBuild(*manifest, *profile, variant, options, sink);
    if (!plan) {
      if (InterruptRequested()) outcome.status = BuildStatus::kInterrupted;
      return outcome;
    }
    plan->package.key = *key;
    plans.push_back(std::move(*plan));
  }
  if (Status db = WriteCompileDatabase(plans.front()); !db) observer.Message("warning: " + db.error().message);

  FileHasher files(plans.front().root, (fs::path(plans.front().state_dir) / "file-stamps").string());
  std::string expander_id = ExecutableIdentity(plans.front().expander, plans.front().state_dir);
  std::string self_id = ExecutableIdentity(plans.front().self, plans.front().state_dir);
  std::vector<std::unique_ptr<BuildState>> states;
  std::vector<Job> jobs;
  std::vector<size_t> compile_jobs;
  for (const BuildPlan& plan : plans) {
    states.push_back(std::make_unique<BuildState>(plan, options.color, observer, sink, files));
    states.back()->expander_id = expander_id;
    states.back()->self_id = self_id;
    AddJobs(*states.back(), jobs, compile_jobs);
  }
  double compile_ms = 0;
  TimeCompileStage(jobs, compile_jobs, Clock::now(), compile_ms);

  size_t parallelism = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  StageObserver stage_observer(observer);
  PoolResult result = RunJobs(jobs, parallelism, stage_observer);
  files.SaveStatCache();

  Summarize(*manifest, *profile, states, outcome);
  bool packaged = std::any_of(states.begin(), states.end(), [](const auto& s) { return s->link.package_ms > 0; });
  if (packaged && key->kind == SigningKeySource::kNone) {
    observer.Message("warning: the " + profile->name + " bundles are not signed (no signing key); release builds "
                     "refuse that: see `wasmship keygen`");
  }
  outcome.report.compile_ms = compile_ms;
  if (result != PoolResult::kOk) {
    outcome.status = result == PoolResult::kInterrupted ? BuildStatus::kInterrupted : BuildStatus::kBuildError;
    return outcome;
  }
  outcome.up_to_date = !outcome.report.linked && outcome.report.CountCache(CacheStatus::kHit) == outcome.report.units.size();
  outcome.report.total_ms = MsSince(start);
  outcome.status = FinishOutputs(*manifest, *profile, options, plans.front(), outcome, sink);
  return outcome;
}

std::optional<ExpansionInputs> PlanExpansion(const BuildOptions& options, const std::string& source,
                                             DiagnosticSink& sink) {
  std::optional<Manifest> manifest = LoadManifest(options.manifest_path, sink);
  if (!manifest) return std::nullopt;
  const Profile* profile = FindProfile(*manifest, options.profile, sink);
  if (profile == nullptr) return std::nullopt;
  std::optional<std::vector<Variant>> variants = ChooseVariants(*manifest, *profile, options, sink);
  if (!variants) return std::nullopt;
  std::optional<BuildPlan> plan = PlanBuild(*manifest, *profile, variants->front(), options, sink);
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
