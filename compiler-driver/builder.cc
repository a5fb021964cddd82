// Build(): load the manifest, take the project lock, plan, run the jobs,
// write the report. The outputs are staged and committed together at the
// end (compiler-driver/output_set.h), so an error or an interrupt at any
// point before leaves the previous build's outputs in place, all of them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/compile_database.h"
#include "compiler-driver/output_set.h"
#include "compiler-driver/perf_measure.h"
#include "compiler-driver/release_outputs.h"
#include "compiler-driver/shard.h"
#include "compiler-driver/compiler_driver.h"
#include "platform/elapsed.h"
#include "platform/file_lock.h"
#include "platform/interrupt.h"
#include "platform/step_timeout.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Tests stop a build at a stage (WASMSHIP_TEST_PAUSE=link, optimize,
// package, outputs or commit) to interrupt or kill it there: the build
// creates the file WASMSHIP_TEST_STARTED names and waits, once per run,
// until an interrupt arrives (at most a minute).
void PauseForTest(const std::string& stage) {
  static bool paused = false;
  const char* wanted = std::getenv("WASMSHIP_TEST_PAUSE");
  if (paused || wanted == nullptr || stage != wanted) return;
  paused = true;
  if (const char* started = std::getenv("WASMSHIP_TEST_STARTED"); started != nullptr && *started != '\0') {
    (void)WriteFileAtomically(started, stage + "\n");
  }
  for (int i = 0; i < 3000 && !InterruptRequested(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void PauseBefore(Job& job, const std::string& stage) {
  auto prepare = job.prepare;
  job.prepare = [prepare, stage] {
    PauseForTest(stage);
    return prepare();
  };
}

// How long one step may run, and where that limit comes from (for messages).
struct StepLimit {
  double seconds = kDefaultStepTimeoutSeconds;
  std::string origin = "the default build.step_timeout";
};

// WASMSHIP_STEP_TIMEOUT over build.step_timeout over the default.
std::optional<StepLimit> ChooseStepLimit(const Manifest& manifest, DiagnosticSink& sink) {
  Result<std::optional<double>> env = StepTimeoutFromEnvironment();
  if (!env) {
    sink.Error({}, env.error().message);
    return std::nullopt;
  }
  if (*env) return StepLimit{**env, kStepTimeoutVariable};
  if (manifest.step_timeout_s) return StepLimit{*manifest.step_timeout_s, "build.step_timeout"};
  return StepLimit{};
}

// Forwards job pool events to the build observer and times the compile stage.
class StageObserver : public JobObserver {
 public:
  StageObserver(BuildObserver& observer, DiagnosticSink& sink, const StepLimit& limit)
      : observer_(observer), sink_(sink), limit_(limit) {}

  void JobStarted(const Job& job, const std::vector<std::string>& argv, size_t index,
                  size_t total) override {
    observer_.StepStarted(job.description, argv, index, total);
  }
  void JobFinished(const Job& job, const ProcessResult& result, bool ok) override {
    std::string output = result.output;
    if (result.timed_out) {
      sink_.Error({}, job.description + " did not finish within " + DescribeSeconds(result.timeout_s) + " (" +
                          limit_.origin + "); stopped it",
                  {"if the step is only slow, raise build.step_timeout in wasmship.yaml or " +
                   std::string(kStepTimeoutVariable) + " (for example 45m)"});
    } else if (!result.Succeeded() && output.empty()) {
      output = job.description + " failed: " + result.Describe() + "\n";
    }
    observer_.StepFinished(job.description, output, ok);
  }

 private:
  BuildObserver& observer_;
  DiagnosticSink& sink_;
  const StepLimit& limit_;
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

// Variants that share compile flags (devices differing only in memory, say)
// plan identical compile actions. Within one build, each action runs once:
// a later copy depends on the first and then finds its object in the cache.
class SharedActions {
 public:
  // Adds to `deps` the first job that planned this same action, or records
  // `job` as the first.
  void Share(const std::vector<std::string>& command, const std::string& input, size_t job,
             std::vector<size_t>& deps) {
    std::string key = input;
    for (const std::string& arg : command) key += '\0' + arg;
    auto [it, first] = first_job_.emplace(std::move(key), job);
    if (!first) deps.push_back(it->second);
  }

 private:
  std::map<std::string, size_t> first_job_;
};

// One variant's jobs: precompile, expand, compile, link, optimize.
void AddJobs(BuildState& state, std::vector<Job>& jobs, std::vector<size_t>& compile_jobs, SharedActions& shared) {
  const BuildPlan& plan = state.plan;
  const size_t pch_job = jobs.size();
  jobs.push_back(MakePchJob(state));
  shared.Share(plan.pch.command, plan.pch.header, pch_job, jobs.back().deps);
  std::vector<size_t> mine;
  size_t expand_job = 0;
  for (size_t i = 0; i < plan.units.size(); ++i) {
    const CompileUnit& unit = plan.units[i];
    std::vector<size_t> deps;
    if (!unit.original.empty()) {
      jobs.push_back(MakeExpandJob(state, i, {pch_job}));
      expand_job = jobs.size() - 1;
      deps = {expand_job};
    } else if (unit.literals_of_previous) {
      deps = {expand_job};
    } else if (HasPch(unit)) {
      deps = {pch_job};
    }
    mine.push_back(jobs.size());
    // An expansion is written per variant, so only plain sources can match.
    if (unit.original.empty() && !unit.literals_of_previous) shared.Share(unit.command, unit.source, jobs.size(), deps);
    jobs.push_back(MakeCompileJob(state, i, std::move(deps)));
  }
  compile_jobs.insert(compile_jobs.end(), mine.begin(), mine.end());
  jobs.push_back(MakeLinkJob(state, mine));
  PauseBefore(jobs.back(), "link");
  jobs.push_back(MakeOptimizeJob(state, jobs.size() - 1));
  PauseBefore(jobs.back(), "optimize");
  jobs.push_back(MakePackageJob(state, jobs.size() - 1));
  PauseBefore(jobs.back(), "package");
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
// is bundled, staged with the rest; then everything is committed. A budget
// violation still writes everything, so that the reports can say what is
// over.
BuildStatus FinishOutputs(const Manifest& manifest, const Profile& profile, const BuildOptions& options,
                          const BuildPlan& first, const std::vector<PerfTarget>& perf_targets, OutputSet& outputs,
                          BuildOutcome& outcome, BuildObserver& observer, DiagnosticSink& sink) {
  PauseForTest("outputs");
  outcome.document = BuildReportJson(outcome.report);
  bool budgets_failed = false;
  if (profile.budget && options.check_budgets) {
    // A script that cannot run leaves the previous outputs in place.
    if (std::optional<BuildStatus> stop = MeasurePerformance(manifest, options, first.cache_dir, perf_targets,
                                                             outcome.document, observer, sink)) {
      return *stop;
    }
    std::optional<size::Json> budgets = CheckReportBudgets(manifest, options.baseline_report, outcome.document, sink);
    if (!budgets) return BuildStatus::kConfigError;
    for (const std::string& line : BudgetViolations(*budgets)) {
      sink.Error({manifest.path, 0, 0, 1}, "budget exceeded: " + line);
      budgets_failed = true;
    }
    for (const std::string& line : BudgetWarnings(*budgets)) {
      sink.Warning({manifest.path, 0, 0, 1}, "time budget exceeded (advisory): " + line,
                   {"set `strict: true` on the profile to fail the build instead"});
    }
  } else {
    outcome.document["budgets"] = size::BudgetsToJson({}, /*checked=*/false, options.baseline_report);
  }
  std::string stamp = (fs::path(first.state_dir) / ("outputs-" + profile.name + ".stamp")).string();
  Result<std::string> fingerprint = StageReleaseOutputs(outputs, outcome.document, stamp);
  if (!fingerprint) {
    sink.Error({}, fingerprint.error().message);
    return BuildStatus::kBuildError;
  }
  if (InterruptRequested()) return BuildStatus::kInterrupted;
  Status committed = outputs.Commit([](size_t done, size_t total) {
    if (done == std::max<size_t>(1, total / 2)) PauseForTest("commit");
  });
  if (!committed) {
    sink.Error({}, committed.error().message);
    outcome.outputs_intact = outputs.restored();
    return BuildStatus::kBuildError;
  }
  outcome.outputs_replaced = true;
  // Without the stamp the next build writes the reports again; nothing is lost.
  if (!fingerprint->empty()) (void)WriteFileAtomically(stamp, *fingerprint);
  if (InterruptRequested()) return BuildStatus::kInterrupted;
  return budgets_failed ? BuildStatus::kBudgetExceeded : BuildStatus::kOk;
}

// What a killed build left half-committed in any output directory of the
// project is completed before this build reads or writes them.
bool RecoverProjectOutputs(const Manifest& manifest, const BuildOptions& options, DiagnosticSink& sink) {
  std::vector<std::string> dirs;
  std::string root = fs::absolute(manifest.root).string();
  for (const auto& [name, unused] : manifest.profiles) dirs.push_back(OutputDirFor(root, name));
  if (!options.out_dir.empty()) dirs.push_back(fs::absolute(options.out_dir).string());
  for (const std::string& dir : dirs) {
    if (Status recovered = RecoverOutputs(dir); !recovered) {
      sink.Error({}, recovered.error().message, {"move " + dir + " aside and build again"});
      return false;
    }
  }
  return true;
}

// A shard with no variant (more shards than variants) still records what
// it is part of, so that `wasmship merge` can check it like the others.
BuildOutcome BuildEmptyShard(const Manifest& manifest, const Profile& profile, const BuildOptions& options,
                             ShardRecord& shard, DiagnosticSink& sink) {
  BuildOutcome outcome;
  std::optional<BuildPlan> plan = PlanBuild(manifest, profile, shard.variants.front(), options, sink);
  if (!plan) {
    if (InterruptRequested()) outcome.status = BuildStatus::kInterrupted;
    return outcome;
  }
  FileHasher files(plan->root, (fs::path(plan->state_dir) / "file-stamps").string());
  RecordShardInputs(shard, manifest, *plan, files);
  outcome.out_dir = fs::path(plan->module_path).parent_path().string();
  OutputSet outputs(outcome.out_dir);
  Status staged = StageShardFile(outputs, &shard);
  for (const char* name : {"index.json", "report.json", "report.md", "report.html", "report.junit.xml"}) {
    outputs.Remove((fs::path(outcome.out_dir) / name).string());
  }
  if (staged) staged = outputs.Commit();
  if (!staged) {
    sink.Error({}, staged.error().message);
    outcome.status = BuildStatus::kBuildError;
    return outcome;
  }
  outcome.report.app = manifest.app_name;
  outcome.report.version = manifest.app_version;
  outcome.report.profile = profile.name;
  outcome.outputs_replaced = true;
  outcome.up_to_date = true;
  outcome.status = BuildStatus::kOk;
  return outcome;
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
  std::optional<StepLimit> step_limit = ChooseStepLimit(*manifest, sink);
  if (!step_limit) return outcome;
  std::optional<FileLock> lock = LockProject(StateDirFor(*manifest), observer, sink);
  if (!lock) {
    outcome.status = InterruptRequested() ? BuildStatus::kInterrupted : BuildStatus::kConfigError;
    return outcome;
  }
  if (!RecoverProjectOutputs(*manifest, options, sink)) {
    outcome.status = BuildStatus::kBuildError;
    return outcome;
  }
  std::optional<ShardRecord> shard;
  if (options.shard_count > 0) {
    shard = MakeShardRecord({options.shard_index, options.shard_count}, *manifest, profile->name, key->key_id,
                            profile->budget && options.check_budgets, *variants);
    variants = ShardVariants(*shard);
    if (variants->empty()) return BuildEmptyShard(*manifest, *profile, options, *shard, sink);
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
  outcome.out_dir = fs::path(plans.front().module_path).parent_path().string();
  OutputSet outputs(outcome.out_dir);
  std::string expander_id = ExecutableIdentity(plans.front().expander, plans.front().state_dir);
  std::string self_id = ExecutableIdentity(plans.front().self, plans.front().state_dir);
  // One action cache for every variant, with the remote when there is one.
  const CacheSettings& cache = plans.front().cache;
  std::mutex warn_lock;  // the remote warns from whichever thread met the failure
  auto warn = [&observer, &warn_lock](const std::string& message) {
    std::lock_guard<std::mutex> lock(warn_lock);
    observer.Message(message);
  };
  std::unique_ptr<RemoteStore> remote;
  if (!cache.remote.empty() && options.open_remote_cache) remote = options.open_remote_cache(cache, warn);
  ActionCache actions(cache.dir, remote.get());
  actions.SetWarn(warn);
  // Stores go to the cache as they happen; whatever happens next, the
  // counters are saved, the uploads end and the cache keeps to its cap.
  struct FlushAtEnd {
    ActionCache& actions;
    uint64_t max_size;
    ~FlushAtEnd() { actions.Flush(max_size); }
  } flush_at_end{actions, cache.max_size};
  std::vector<std::unique_ptr<BuildState>> states;
  std::vector<Job> jobs;
  std::vector<size_t> compile_jobs;
  SharedActions shared;
  for (const BuildPlan& plan : plans) {
    states.push_back(std::make_unique<BuildState>(plan, options.color, observer, sink, files, outputs, actions));
    states.back()->expander_id = expander_id;
    states.back()->self_id = self_id;
    AddJobs(*states.back(), jobs, compile_jobs, shared);
  }
  double compile_ms = 0;
  TimeCompileStage(jobs, compile_jobs, Clock::now(), compile_ms);

  size_t parallelism = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  StageObserver stage_observer(observer, sink, *step_limit);
  PoolResult result = RunJobs(jobs, parallelism, stage_observer, step_limit->seconds);

  Summarize(*manifest, *profile, states, outcome);
  bool packaged = std::any_of(states.begin(), states.end(), [](const auto& s) { return s->link.package_ms > 0; });
  if (packaged && key->kind == SigningKeySource::kNone) {
    observer.Message("warning: the " + profile->name + " bundles are not signed (no signing key); release builds "
                     "refuse that: see `wasmship keygen`");
  }
  outcome.report.compile_ms = compile_ms;
  if (result != PoolResult::kOk) {
    files.SaveStatCache();
    // A step that failed because the interrupt stopped its tool is the interrupt.
    bool interrupted = result == PoolResult::kInterrupted || InterruptRequested();
    outcome.status = interrupted ? BuildStatus::kInterrupted : BuildStatus::kBuildError;
    return outcome;
  }
  outcome.up_to_date = !outcome.report.linked && outcome.report.CountCache(CacheStatus::kHit) == outcome.report.units.size();
  outcome.report.total_ms = MsSince(start);
  if (shard) RecordShardInputs(*shard, *manifest, plans.front(), files);
  if (Status staged = StageShardFile(outputs, shard ? &*shard : nullptr); !staged) {
    sink.Error({}, staged.error().message);
    files.SaveStatCache();
    outcome.status = BuildStatus::kBuildError;
    return outcome;
  }
  std::vector<PerfTarget> perf_targets;
  for (const auto& state : states) {
    const std::string& staged = state->link.module_file;
    perf_targets.push_back({state->plan.variant.name, staged.empty() ? state->plan.module_path : staged,
                            state->plan.variant.max_memory, state->plan.variant.devices});
  }
  outcome.status = FinishOutputs(*manifest, *profile, options, plans.front(), perf_targets, outputs, outcome,
                                 observer, sink);
  // Files the build wrote from bytes it hashed are not read again next time.
  if (outcome.outputs_replaced) {
    for (const OutputSet::File& f : outputs.staged()) files.Remember(f.path, f.hash);
  }
  files.SaveStatCache();
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
