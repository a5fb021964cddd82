// Parallel compiles, compiler launchers, the project lock and interrupts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

// Shell: waits (up to 60 s) until the slow launcher has started a compile.
constexpr const char* kWaitForCompile =
    "i=0; while [ ! -e \"$WASMSHIP_TEST_STARTED\" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; ";

// The sandbox's environment (its sources are its own, so the app's compiles
// miss the shared cache) for a build whose every compile first waits `seconds`.
std::vector<std::string> SlowCompiles(const ProjectSandbox& project, const std::string& seconds) {
  std::vector<std::string> env = project.Environment();
  env.insert(env.end(), {"WASMSHIP_COMPILER_LAUNCHER=" + SourcePath("tests/e2e/launchers/slow_launcher.sh"),
                         "WASMSHIP_TEST_SLEEP=" + seconds,
                         "WASMSHIP_TEST_STARTED=" + project.Path("compile-started")});
  return env;
}

void WriteFourUnitProject(ProjectSandbox& project) {
  project.Write("wasmship.yaml", "app: { name: four, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  for (int i = 0; i < 3; ++i) {
    project.Write("src/f" + std::to_string(i) + ".cpp", "int F" + std::to_string(i) + "() { return " +
                                                            std::to_string(i) + "; }\n");
  }
  project.Write("src/main.cpp", MinimalAppSource());
}

int MaxConcurrency(const ProjectSandbox& project) {
  std::istringstream in(project.Read("launcher/concurrency"));
  int max = 0;
  for (int n; in >> n;) max = std::max(max, n);
  return max;
}

std::vector<std::string> LauncherEnv(const ProjectSandbox& project, const std::string& tries) {
  return {"WASMSHIP_COMPILER_LAUNCHER=" + SourcePath("tests/e2e/launchers/counting_launcher.sh"),
          "WASMSHIP_TEST_LAUNCHER_DIR=" + project.Path("launcher"), "WASMSHIP_TEST_WAIT_TRIES=" + tries};
}

TEST(SchedulingTest, CompilesInParallelUpToJobs) {
  ProjectSandbox project;
  WriteFourUnitProject(project);
  fs::create_directories(project.Path("launcher"));
  RunResult build = project.Wasmship({"build", "-j", "2"}, LauncherEnv(project, "15"));
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(MaxConcurrency(project), 2);
  // Every compile of the app went through the launcher, with the real
  // compiler after it (the runtime's objects may come from the shared cache).
  std::string commands = project.Read("launcher/commands");
  for (const char* source : {"src/f0.cpp", "src/f1.cpp", "src/f2.cpp", "src/main.cpp"}) {
    EXPECT_NE(commands.find(std::string("-c ") + source), std::string::npos) << source;
  }
  EXPECT_NE(commands.find("clang++"), std::string::npos);
}

TEST(SchedulingTest, OneJobMeansOneCompileAtATime) {
  ProjectSandbox project;
  WriteFourUnitProject(project);
  fs::create_directories(project.Path("launcher"));
  RunResult build = project.Wasmship({"build", "-j", "1"}, LauncherEnv(project, "3"));
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(MaxConcurrency(project), 1);
}

TEST(SchedulingTest, LauncherFromManifestAndMissingLauncher) {
  ProjectSandbox project;
  WriteFourUnitProject(project);
  fs::create_directories(project.Path("launcher"));
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") + "build: { launcher: " +
                                     SourcePath("tests/e2e/launchers/counting_launcher.sh") + " }\n");
  RunResult build = project.Wasmship({"build"}, {"WASMSHIP_TEST_LAUNCHER_DIR=" + project.Path("launcher"),
                                                 "WASMSHIP_TEST_WAIT_TRIES=1"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_TRUE(project.Exists("launcher/commands"));
  RunResult missing = project.Wasmship({"build"}, {"WASMSHIP_COMPILER_LAUNCHER=no-such-sccache"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("compiler launcher 'no-such-sccache'"), std::string::npos) << missing.err;
}

TEST(SchedulingTest, ConcurrentBuildsSerializeOnTheLock) {
  ProjectSandbox project;
  project.CopyExample("hello");
  std::string script = "\"$0\" build & first=$!; " + std::string(kWaitForCompile) +
                       "\"$0\" build; second=$?; wait $first; echo \"$? $second\"";
  RunResult both = RunCommand({"/bin/sh", "-c", script, WASMSHIP_BINARY}, project.dir(),
                              SlowCompiles(project, "1.5"));
  EXPECT_EQ(both.out, "0 0\n") << both.err;
  EXPECT_NE(both.err.find("waiting for another build of this project"), std::string::npos) << both.err;
  RunResult validate = RunCommand({"wasm-validate", "dist/debug/hello-base-128m-debug.wasm"}, project.dir());
  EXPECT_EQ(validate.exit_code, 0);
}

TEST(SchedulingTest, InterruptKeepsThePreviousModule) {
  ProjectSandbox project;
  project.CopyExample("hello");
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  std::string before = project.Read("dist/debug/hello-base-128m-debug.wasm");
  project.Write("src/greeting.cpp", project.Read("src/greeting.cpp") + "int Extra() { return 1; }\n");
  std::string script = "\"$0\" build & pid=$!; " + std::string(kWaitForCompile) +
                       "kill -INT $pid; wait $pid; echo $?";
  RunResult run = RunCommand({"/bin/sh", "-c", script, WASMSHIP_BINARY}, project.dir(),
                             SlowCompiles(project, "30"));
  EXPECT_EQ(run.out, "130\n") << run.err;
  EXPECT_NE(run.err.find("interrupted"), std::string::npos) << run.err;
  EXPECT_EQ(project.Read("dist/debug/hello-base-128m-debug.wasm"), before);
  for (const auto& f : fs::recursive_directory_iterator(project.Path("dist"))) {
    EXPECT_EQ(f.path().filename().string().find(".tmp"), std::string::npos) << f.path();
  }
}

}  // namespace
}  // namespace ws::e2e
