// No process wasmship starts outlives it: SIGKILL, SIGTERM and SIGINT during
// a step, and a step that runs past build.step_timeout. The hanging step is
// a real compile held up by tests/e2e/launchers/hanging_launcher.sh, whose
// processes the tests find by the pids it records, never by name.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

// Shell: waits (up to 60 s) until the hanging tool has started.
constexpr const char* kWaitForHang =
    "i=0; while [ ! -e \"$WASMSHIP_TEST_STARTED\" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; ";

// Running (a zombie no longer runs, whoever is yet to reap it).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z' && text[paren + 2] != 'X';
}

std::vector<pid_t> RecordedPids(const ProjectSandbox& project) {
  std::istringstream in(project.Read("pids"));
  std::vector<pid_t> pids;
  for (pid_t pid; in >> pid;) pids.push_back(pid);
  return pids;
}

// The hanging tool's processes still running after up to `seconds`. The
// survivors are killed, so that a failing test leaves nothing behind.
std::vector<pid_t> StillRunning(const ProjectSandbox& project, int seconds) {
  std::vector<pid_t> pids = RecordedPids(project);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<pid_t> alive;
  do {
    alive.clear();
    for (pid_t pid : pids) {
      if (Alive(pid)) alive.push_back(pid);
    }
    if (!alive.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (!alive.empty() && std::chrono::steady_clock::now() < deadline);
  for (pid_t pid : alive) ::kill(pid, SIGKILL);
  return alive;
}

void WriteApp(ProjectSandbox& project, const std::string& build_section = "") {
  project.Write("wasmship.yaml", "app: { name: hang, version: 1.0.0 }\nsources: [src/*.cpp]\n" + build_section);
  project.Write("src/main.cpp", MinimalAppSource());
}

// The environment of a build whose compile of src/main.cpp hangs.
std::vector<std::string> HangingCompile(const ProjectSandbox& project) {
  std::vector<std::string> env = project.Environment();
  env.insert(env.end(), {"WASMSHIP_COMPILER_LAUNCHER=" + SourcePath("tests/e2e/launchers/hanging_launcher.sh"),
                         "WASMSHIP_TEST_HANG_ON=src/main.cpp", "WASMSHIP_TEST_PIDS=" + project.Path("pids"),
                         "WASMSHIP_TEST_STARTED=" + project.Path("started")});
  return env;
}

struct Stopped {
  int exit_code = -1;
  long ms = -1;  // from the signal to wasmship's exit
  std::string err;
};

// Runs `wasmship args` in the background, sends `signal` once the hanging
// tool has started and waits for wasmship to exit.
Stopped SignalDuringHang(const ProjectSandbox& project, const std::string& args, const std::string& signal,
                         const std::vector<std::string>& env) {
  std::string script = "\"$0\" " + args + " & pid=$!; " + kWaitForHang +
                       "start=$(date +%s%N); kill -" + signal + " $pid; wait $pid; rc=$?; end=$(date +%s%N); "
                       "echo \"$rc $(( (end - start) / 1000000 ))\"";
  RunResult run = RunCommand({"/bin/sh", "-c", script, WASMSHIP_BINARY}, project.dir(), env);
  Stopped stopped;
  std::istringstream(run.out) >> stopped.exit_code >> stopped.ms;
  stopped.err = run.err;
  return stopped;
}

TEST(ProcessTest, SigkillLeavesNoChildRunning) {
  ProjectSandbox project;
  WriteApp(project);
  Stopped stopped = SignalDuringHang(project, "build", "KILL", HangingCompile(project));
  EXPECT_EQ(stopped.exit_code, 128 + SIGKILL) << stopped.err;
  // The launcher (wasmship's child) and the process it started.
  EXPECT_EQ(RecordedPids(project).size(), 2u);
  EXPECT_EQ(StillRunning(project, 5), std::vector<pid_t>{});
}

TEST(ProcessTest, SigtermAndSigintStopEveryChildPromptly) {
  for (auto [signal, code] : {std::pair<const char*, int>{"TERM", 143}, {"INT", 130}}) {
    ProjectSandbox project;
    WriteApp(project);
    Stopped stopped = SignalDuringHang(project, "build", signal, HangingCompile(project));
    EXPECT_EQ(stopped.exit_code, code) << signal << "\n" << stopped.err;
    ExpectContains(stopped.err, "build interrupted");
    // Well under 2 s on an idle machine; generous for a loaded one.
    EXPECT_LT(stopped.ms, 5000) << signal;
    EXPECT_EQ(RecordedPids(project).size(), 2u);
    EXPECT_EQ(StillRunning(project, 2), std::vector<pid_t>{}) << signal;
  }
}

// `run` compiles an aot module with cc; a Ctrl-C or SIGTERM then stops it.
TEST(ProcessTest, SigtermDuringRunsAotCompile) {
  ProjectSandbox project;
  WriteApp(project);
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  fs::create_directories(project.Path("bin"));
  fs::create_symlink(SourcePath("tests/e2e/launchers/hanging_tool.sh"), project.Path("bin/cc"));
  std::vector<std::string> env = project.Environment();
  const char* path = std::getenv("PATH");
  env.insert(env.end(), {"PATH=" + project.Path("bin") + ":" + (path != nullptr ? path : "/usr/bin:/bin"),
                         "WASMSHIP_TEST_REAL_TOOL=/usr/bin/cc", "WASMSHIP_TEST_PIDS=" + project.Path("pids"),
                         "WASMSHIP_TEST_STARTED=" + project.Path("started")});
  Stopped stopped = SignalDuringHang(project, "run --engine aot", "TERM", env);
  EXPECT_EQ(stopped.exit_code, 143) << stopped.err;
  EXPECT_LT(stopped.ms, 5000);
  EXPECT_EQ(RecordedPids(project).size(), 2u);
  EXPECT_EQ(StillRunning(project, 2), std::vector<pid_t>{});
}

TEST(ProcessTest, StepTimeoutStopsAHangingCompile) {
  ProjectSandbox project;
  WriteApp(project, "build: { step_timeout: 2s }\n");
  auto start = std::chrono::steady_clock::now();
  RunResult build = RunCommand({WASMSHIP_BINARY, "build"}, project.dir(), HangingCompile(project));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(build.exit_code, 1) << build.err;
  ExpectContains(build.err, "error: compile src/main.cpp did not finish within 2 s (build.step_timeout); stopped it");
  EXPECT_LT(elapsed, std::chrono::seconds(60));  // the hanging compile alone would take 5 minutes
  EXPECT_EQ(RecordedPids(project).size(), 2u);
  EXPECT_EQ(StillRunning(project, 2), std::vector<pid_t>{});
}

TEST(ProcessTest, StepTimeoutFromTheEnvironment) {
  ProjectSandbox project;
  WriteApp(project, "build: { step_timeout: 20m }\n");
  std::vector<std::string> env = HangingCompile(project);
  env.push_back("WASMSHIP_STEP_TIMEOUT=1");
  RunResult build = RunCommand({WASMSHIP_BINARY, "build"}, project.dir(), env);
  EXPECT_EQ(build.exit_code, 1) << build.err;
  ExpectContains(build.err, "compile src/main.cpp did not finish within 1 s (WASMSHIP_STEP_TIMEOUT); stopped it");
  EXPECT_EQ(StillRunning(project, 2), std::vector<pid_t>{});

  RunResult bad = project.Wasmship({"build"}, {"WASMSHIP_STEP_TIMEOUT=soon"});
  EXPECT_EQ(bad.exit_code, 2);
  ExpectContains(bad.err, "WASMSHIP_STEP_TIMEOUT must be a duration such as 90s, 5m or 1h");
  project.Write("wasmship.yaml", "app: { name: hang, version: 1.0.0 }\nsources: [src/*.cpp]\n"
                                 "build: { step_timeout: -3s }\n");
  RunResult bad_manifest = project.Wasmship({"build"});
  EXPECT_EQ(bad_manifest.exit_code, 2);
  ExpectContains(bad_manifest.err, "wasmship.yaml:3:24: error: build.step_timeout is not a duration: '-3s'");
}

}  // namespace
}  // namespace ws::e2e
