// The build's compile and link jobs through the job pool with a fake
// command runner: which commands a build runs (none when nothing changed),
// and what a failed or interrupted build does, without clang or wasm-ld.
#include "compiler-driver/build_jobs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <memory>

#include "compiler-driver/fake_command_runner.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

class QuietBuildObserver : public BuildObserver {
 public:
  void StepStarted(const std::string&, const std::vector<std::string>&, size_t, size_t) override {}
  void StepFinished(const std::string&, const std::string&, bool) override {}
  void Message(const std::string&) override {}
};

class QuietJobObserver : public JobObserver {
 public:
  void JobStarted(const Job&, const std::vector<std::string>&, size_t, size_t) override {}
  void JobFinished(const Job&, const ProcessResult&, bool) override {}
};

std::string Read(const std::string& path) {
  Result<std::string> bytes = ReadFile(path, kModuleFile);
  return bytes ? *bytes : "(missing)";
}

// A project of two sources in a temporary directory, built as a variant's
// compile jobs and link job would build it.
class BuildJobsTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "ws_build_jobs_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_ + "/src");
    ASSERT_TRUE(WriteFileAtomically(root_ + "/src/a.cc", "int a() { return 1; }\n"));
    ASSERT_TRUE(WriteFileAtomically(root_ + "/src/b.cc", "int b() { return 2; }\n"));
    plan_.root = root_;
    plan_.state_dir = root_ + "/.wasmship";
    plan_.build_dir = plan_.state_dir + "/build/v";
    plan_.cache_dir = plan_.state_dir + "/cache";
    plan_.variant.name = "v";
    plan_.linked_path = plan_.build_dir + "/app.linked.wasm";
    plan_.module_path = root_ + "/dist/app.wasm";
    plan_.map_path = plan_.build_dir + "/app.map";
    plan_.toolchain.wasm_ld = "wasm-ld";
    plan_.toolchain.compiler_id = "fake clang";
    plan_.toolchain.lib_dir = "/fake/lib";
    plan_.toolchain.runtime_dir = root_ + "/runtime";
    for (const char* name : {"a", "b"}) {
      std::string source = std::string("src/") + name + ".cc";
      plan_.units.push_back({source, source, ".wasmship/build/v/obj/" + std::string(name) + ".o",
                             {"clang++", "--target=wasm32-wasi", "-O2"}, {}, {}, {}, false});
    }
  }
  void TearDown() override { fs::remove_all(root_); }

  // One build of the plan's compile and link jobs with `runner`.
  PoolResult Build(FakeCommandRunner& runner, size_t parallelism = 2) {
    state_.reset();
    files_ = std::make_unique<FileHasher>(root_);
    outputs_ = std::make_unique<OutputSet>(root_ + "/dist");
    actions_ = std::make_unique<ActionCache>(plan_.cache_dir);
    state_ = std::make_unique<BuildState>(plan_, false, build_observer_, sink_, *files_, *outputs_, *actions_);
    std::vector<Job> jobs;
    for (size_t i = 0; i < plan_.units.size(); ++i) jobs.push_back(MakeCompileJob(*state_, i, {}));
    jobs.push_back(MakeLinkJob(*state_, {0, 1}));
    QuietJobObserver observer;
    PoolResult result = RunJobs(jobs, parallelism, observer, runner);
    // The optimize step would stage the module and record it with the
    // link's key; the fake ships the linked module as it is.
    if (result == PoolResult::kOk && state_->link.linked) {
      std::string module = Read(plan_.linked_path);
      fs::create_directories(root_ + "/dist");
      EXPECT_TRUE(WriteFileAtomically(plan_.module_path, module));
      EXPECT_TRUE(WriteFileAtomically(ModuleStampPath(plan_), state_->link.key + "\n" + HashBytes(module) + "\n"));
    }
    return result;
  }

  static size_t CountRuns(const FakeCommandRunner& runner, const std::string& tool) {
    size_t n = 0;
    for (const auto& argv : runner.started()) n += argv.front() == tool;
    return n;
  }

  std::string root_;
  BuildPlan plan_;
  QuietBuildObserver build_observer_;
  DiagnosticSink sink_;
  // A build's state, kept after it for the test to inspect.
  std::unique_ptr<FileHasher> files_;
  std::unique_ptr<OutputSet> outputs_;
  std::unique_ptr<ActionCache> actions_;
  std::unique_ptr<BuildState> state_;
};

TEST_F(BuildJobsTest, FirstBuildCompilesEachSourceAndLinks) {
  FakeCommandRunner runner;
  EXPECT_EQ(Build(runner), PoolResult::kOk);
  EXPECT_EQ(CountRuns(runner, "clang++"), 2u);
  EXPECT_EQ(CountRuns(runner, "wasm-ld"), 1u);
  EXPECT_TRUE(fs::exists(root_ + "/.wasmship/build/v/obj/a.o"));
  EXPECT_FALSE(sink_.HasErrors());
}

TEST_F(BuildJobsTest, SecondBuildWithNothingChangedRunsNoCommand) {
  FakeCommandRunner first, second;
  ASSERT_EQ(Build(first), PoolResult::kOk);
  EXPECT_EQ(Build(second), PoolResult::kOk);
  EXPECT_TRUE(second.started().empty());
  EXPECT_TRUE(state_->link.up_to_date);
  EXPECT_EQ(state_->units[0].report.cache, CacheStatus::kHit);
}

TEST_F(BuildJobsTest, EditedSourceRecompilesOnlyItAndRelinks) {
  FakeCommandRunner first, second;
  ASSERT_EQ(Build(first), PoolResult::kOk);
  ASSERT_TRUE(WriteFileAtomically(root_ + "/src/a.cc", "int a() { return 3; }\n"));
  // The fake's object depends on its command only: make the edit show.
  plan_.units[0].command.push_back("-DEDITED");
  EXPECT_EQ(Build(second), PoolResult::kOk);
  ASSERT_EQ(CountRuns(second, "clang++"), 1u);
  EXPECT_EQ(second.started().front().back(), ".wasmship/build/v/obj/a.o.tmp");
  EXPECT_EQ(CountRuns(second, "wasm-ld"), 1u);
}

TEST_F(BuildJobsTest, FailingCompileStopsBeforeTheLinkAndKeepsPreviousOutputs) {
  FakeCommandRunner first;
  ASSERT_EQ(Build(first), PoolResult::kOk);
  std::string object = Read(root_ + "/.wasmship/build/v/obj/a.o");
  std::string module = Read(plan_.module_path);
  ASSERT_TRUE(WriteFileAtomically(root_ + "/src/a.cc", "int a() { return }\n"));
  FakeCommandRunner second;
  second.FailWhen("src/a.cc");
  EXPECT_EQ(Build(second), PoolResult::kFailed);  // Build() reports it as BuildStatus::kBuildError
  EXPECT_EQ(CountRuns(second, "clang++"), 1u);
  EXPECT_EQ(CountRuns(second, "wasm-ld"), 0u);
  EXPECT_EQ(Read(root_ + "/.wasmship/build/v/obj/a.o"), object);
  EXPECT_EQ(Read(plan_.module_path), module);
  EXPECT_FALSE(fs::exists(root_ + "/.wasmship/build/v/obj/a.o.tmp"));
}

TEST_F(BuildJobsTest, InterruptStopsSchedulingCommands) {
  FakeCommandRunner runner;
  runner.InterruptWhen("src/a.cc");
  PoolResult result;
  {
    InterruptCatcher catcher;
    result = Build(runner, /*parallelism=*/1);
  }
  InterruptCatcher reset;  // a new catcher clears the flag for the tests after this one
  EXPECT_EQ(result, PoolResult::kInterrupted);
  EXPECT_EQ(runner.started().size(), 1u);
  EXPECT_TRUE(runner.stopped());
  EXPECT_FALSE(fs::exists(plan_.module_path));
}

// The link's stamp covers the optimizer's options (the module it stamps is
// the optimized one): changing one redoes the link step and reoptimizes,
// nothing else; the link's own action does not depend on them, so wasm-ld's
// output comes from the action cache.
TEST_F(BuildJobsTest, ChangingAnOptimizerOptionRerunsOnlyTheLink) {
  FakeCommandRunner first;
  ASSERT_EQ(Build(first), PoolResult::kOk);
  std::string key = state_->link.key;
  auto change = [this](auto edit) {
    edit(plan_.optimize.options);
    FakeCommandRunner runner;
    EXPECT_EQ(Build(runner), PoolResult::kOk);
    EXPECT_EQ(CountRuns(runner, "clang++"), 0u);
    EXPECT_EQ(CountRuns(runner, "wasm-ld"), 0u);
    EXPECT_TRUE(state_->link.linked);
    return state_->link.key;
  };
  std::string stripped = change([](opt::OptimizeOptions& o) { o.strip = !o.strip; });
  EXPECT_NE(stripped, key);
  std::string logs = change([](opt::OptimizeOptions& o) { o.strip_logs_below = 2; });
  EXPECT_NE(logs, stripped);
  std::string pipeline = change([](opt::OptimizeOptions& o) { o.pipeline = opt::Pipeline::kSize; });
  EXPECT_NE(pipeline, logs);
  FakeCommandRunner unchanged;
  EXPECT_EQ(Build(unchanged), PoolResult::kOk);
  EXPECT_TRUE(unchanged.started().empty());
  EXPECT_EQ(state_->link.key, pipeline);
}

// A build directory wiped (a fresh clone) with the cache warm: objects and
// the linked module come from the action cache, no tool runs.
TEST_F(BuildJobsTest, WipedBuildDirectoryRestoresObjectsAndTheLinkFromTheCache) {
  FakeCommandRunner first;
  ASSERT_EQ(Build(first), PoolResult::kOk);
  std::string linked = Read(plan_.linked_path);
  fs::remove_all(plan_.state_dir + "/build");
  fs::remove_all(root_ + "/dist");
  FakeCommandRunner second;
  EXPECT_EQ(Build(second), PoolResult::kOk);
  EXPECT_TRUE(second.started().empty());
  EXPECT_TRUE(state_->link.linked);
  EXPECT_EQ(Read(plan_.linked_path), linked);
  CacheCounters counters = actions_->counters();
  EXPECT_EQ(counters.hits[static_cast<size_t>(StepKind::kLink)], 1u);
  EXPECT_EQ(counters.hits[static_cast<size_t>(StepKind::kCompile)], 2u);
  EXPECT_EQ(counters.misses[static_cast<size_t>(StepKind::kCompile)], 0u);
}

}  // namespace
}  // namespace ws
