// dist/ never mixes or loses a release (issue 10, items 7 and 8): each
// profile has its own output directory, and a build's outputs change
// together or not at all, whatever stops it and wherever.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Tree = std::map<std::string, std::string>;  // path under the directory → content

// Every file under `dir` of the project but the commit's own .staging.
Tree Snapshot(const ProjectSandbox& project, const std::string& dir) {
  Tree tree;
  for (auto it = fs::recursive_directory_iterator(project.Path(dir));
       it != fs::recursive_directory_iterator(); ++it) {
    std::string relative = fs::relative(it->path(), project.Path(dir)).string();
    if (relative == ".staging") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) tree[relative] = project.Read(dir + "/" + relative);
  }
  return tree;
}

// The outputs a build makes from the same inputs byte for byte: all but
// the reports, which carry timings.
Tree Deterministic(Tree tree) {
  std::erase_if(tree, [](const auto& file) { return file.first.rfind("report.", 0) == 0; });
  return tree;
}

std::string Sha256(const ProjectSandbox& project, const std::string& path) {
  return RunCommand({"sha256sum", path}, project.dir()).out.substr(0, 64);
}

// The index and the report describe the bundles and modules beside them.
void ExpectConsistent(const ProjectSandbox& project, const std::string& dir) {
  json index = json::parse(project.Read(dir + "/index.json"));
  ASSERT_FALSE(index["devices"].empty());
  for (const auto& [device, entry] : index["devices"].items()) {
    EXPECT_EQ(entry["sha256"], Sha256(project, dir + "/" + entry["bundle"].get<std::string>())) << device;
  }
  json report = json::parse(project.Read(dir + "/report.json"));
  for (const json& variant : report["variants"]) {
    EXPECT_EQ(variant["bundle"]["sha256"],
              Sha256(project, dir + "/" + variant["bundle"]["file"].get<std::string>()));
    EXPECT_EQ(variant["module"]["bytes"],
              fs::file_size(project.Path(dir + "/" + variant["module"]["file"].get<std::string>())));
  }
}

TEST(DistTest, ProfilesDoNotOverwriteEachOther) {
  ProjectSandbox project;
  project.CopyExample("hello");
  project.AddSigningKey();
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") + "budgets:\n  default: { bundle: 1MiB }\n");
  RunResult release = project.Wasmship({"build", "-p", "release", "--all-devices"});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  std::string index = project.Read("dist/index.json"), report = project.Read("dist/report.json");

  RunResult debug = project.Wasmship({"build"});
  ASSERT_EQ(debug.exit_code, 0) << debug.err;
  RunResult run = project.Wasmship({"run"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectContains(run.out, "Hello, living room!");
  EXPECT_EQ(project.Read("dist/index.json"), index);
  EXPECT_EQ(project.Read("dist/report.json"), report);
  ExpectConsistent(project, "dist");
  // The debug build's own index points at its own bundle.
  json debug_index = json::parse(project.Read("dist/debug/index.json"));
  EXPECT_EQ(debug_index["devices"]["tv-2019"]["bundle"], "bundles/hello-0.1.0-base-128m-debug.wsb");
  ExpectConsistent(project, "dist/debug");

  RunResult check = project.Wasmship({"budget", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  ExpectContains(check.err, "variants of dist/report.json (release)");
  EXPECT_EQ(check.err.find(" 0 checks"), std::string::npos) << check.err;
}

// The environment of a build that stops at `stage` and creates the file
// `started` when it is there (compiles: through the slow launcher).
std::vector<std::string> PausedAt(const ProjectSandbox& project, const std::string& stage) {
  std::vector<std::string> env = project.Environment();
  env.push_back("WASMSHIP_TEST_STARTED=" + project.Path("started"));
  if (stage == "compile") {
    env.insert(env.end(), {"WASMSHIP_COMPILER_LAUNCHER=" + SourcePath("tests/e2e/launchers/slow_launcher.sh"),
                           "WASMSHIP_TEST_SLEEP=30"});
  } else {
    env.push_back("WASMSHIP_TEST_PAUSE=" + stage);
  }
  return env;
}

// Runs `wasmship build` until it reaches `stage`, sends it `signal` (KILL
// goes to its whole process group: nothing it started outlives it) and
// returns the exit status and stderr.
RunResult BuildStoppedAt(ProjectSandbox& project, const std::string& stage, const std::string& signal) {
  fs::remove(project.Path("started"));
  std::string target = signal == "KILL" ? "-$pid" : "$pid";
  std::string script =
      "set -m; \"$0\" build & pid=$!; i=0; "
      "while [ ! -e started ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; "
      "kill -" +
      signal + " -- " + target + "; wait $pid; echo $?";
  return RunCommand({"/bin/bash", "-c", script, WASMSHIP_BINARY}, project.dir(), PausedAt(project, stage));
}

constexpr const char* kNewGreeting = "int Extra() { return 2; }\n";

TEST(DistTest, AStoppedBuildLeavesTheOldOutputsOrTheNewOnes) {
  ProjectSandbox project;
  project.UsePrivateCache();  // each stage must do its work, not come from the shared cache
  project.CopyExample("hello");
  std::string v1 = project.Read("src/greeting.cpp");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  Tree old = Snapshot(project, "dist/debug");
  ASSERT_TRUE(old.count("bundles/hello-0.1.0-base-128m-debug.wsb"));
  project.Write("src/greeting.cpp", v1 + kNewGreeting);
  // Compiles first: later stages compile the new source into the cache.
  for (const char* stage : {"compile", "link", "optimize", "package", "outputs"}) {
    for (const char* signal : {"KILL", "TERM"}) {
      RunResult stopped = BuildStoppedAt(project, stage, signal);
      std::string what = std::string(stage) + " " + signal;
      EXPECT_EQ(Snapshot(project, "dist/debug"), old) << what << "\n" << stopped.err;
      if (std::string(signal) == "TERM") {
        EXPECT_TRUE(stopped.out == "130\n" || stopped.out == "143\n") << what << ": " << stopped.out;
        ExpectContains(stopped.err, "build interrupted; the previous output is unchanged (dist/debug/)");
      }
    }
  }
  // Killed while replacing the outputs: the next command finishes the job.
  RunResult killed = BuildStoppedAt(project, "commit", "KILL");
  EXPECT_TRUE(fs::exists(project.Path("dist/debug/.staging/journal"))) << killed.err;
  RunResult check = project.Wasmship({"budget", "check", "--dist", "dist/debug"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_FALSE(fs::exists(project.Path("dist/debug/.staging")));
  Tree recovered = Snapshot(project, "dist/debug");
  EXPECT_NE(recovered, old);
  ExpectConsistent(project, "dist/debug");
  RunResult rebuilt = project.Wasmship({"build"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  Tree fresh = Snapshot(project, "dist/debug");
  EXPECT_EQ(Deterministic(recovered), Deterministic(fresh));

  // Terminated while replacing them: they are all replaced, and it says so.
  project.Write("src/greeting.cpp", v1);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  EXPECT_EQ(Deterministic(Snapshot(project, "dist/debug")), Deterministic(old));
  project.Write("src/greeting.cpp", v1 + kNewGreeting);
  RunResult terminated = BuildStoppedAt(project, "commit", "TERM");
  EXPECT_TRUE(terminated.out == "130\n" || terminated.out == "143\n") << terminated.out << terminated.err;
  ExpectContains(terminated.err, "dist/debug/ has this build's outputs");
  EXPECT_EQ(Deterministic(Snapshot(project, "dist/debug")), Deterministic(fresh));
  EXPECT_FALSE(fs::exists(project.Path("dist/debug/.staging")));
  ExpectConsistent(project, "dist/debug");
}

// A destination that cannot be written fails the build before anything in
// dist/ moves. (Tests run as root, where a read-only dist/bundles would not
// stop a write: a directory where the bundle goes, or a file where
// bundles/ goes, does.)
TEST(DistTest, AnUnwritableBundleFailsTheBuildWithEveryOutputKept) {
  ProjectSandbox project;
  project.CopyExample("hello");
  std::string v1 = project.Read("src/greeting.cpp");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  fs::remove(project.Path("dist/debug/bundles/hello-0.1.0-base-128m-debug.wsb"));
  project.Write("dist/debug/bundles/hello-0.1.0-base-128m-debug.wsb/in-the-way", "x");
  Tree old = Snapshot(project, "dist/debug");
  project.Write("src/greeting.cpp", v1 + kNewGreeting);
  RunResult blocked = project.Wasmship({"build"});
  EXPECT_EQ(blocked.exit_code, 1);
  ExpectContains(blocked.err, "bundles/hello-0.1.0-base-128m-debug.wsb: a directory is in the way");
  ExpectContains(blocked.err, "build failed; the previous output is unchanged (dist/debug/)");
  EXPECT_EQ(Snapshot(project, "dist/debug"), old);
  EXPECT_FALSE(fs::exists(project.Path("dist/debug/.staging")));

  fs::remove_all(project.Path("dist/debug/bundles"));
  project.Write("dist/debug/bundles", "not a directory");
  old = Snapshot(project, "dist/debug");
  RunResult file = project.Wasmship({"build"});
  EXPECT_EQ(file.exit_code, 1);
  ExpectContains(file.err, "the previous output is unchanged");
  EXPECT_EQ(Snapshot(project, "dist/debug"), old);

  fs::remove(project.Path("dist/debug/bundles"));
  RunResult fixed = project.Wasmship({"build"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  ExpectConsistent(project, "dist/debug");
}

}  // namespace
}  // namespace ws::e2e
