#include "platform/subprocess.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>

namespace ws {
namespace {

TEST(RunProcessTest, CapturesOutputAndExitCode) {
  Result<ProcessResult> r = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->Succeeded());
  EXPECT_EQ(r->output, "out\nerr\n");
}

TEST(RunProcessTest, MissingProgramIsAnError) {
  Result<ProcessResult> r = RunProcess({"wasmship-no-such-tool"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not found"), std::string::npos);
}

TEST(RunProcessTest, ReportsSignals) {
  Result<ProcessResult> r = RunProcess({"sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->term_signal, 9);
  EXPECT_EQ(r->Describe(), "killed by signal 9");
}

TEST(RunProcessTest, HonoursWorkingDirectory) {
  Result<ProcessResult> r = RunProcess({"pwd"}, {.cwd = "/tmp"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "/tmp\n");
}

TEST(SubprocessSetTest, RunsInParallelAndCollectsEach) {
  SubprocessSet set;
  std::set<int> handles;
  for (int i = 0; i < 4; ++i) {
    Result<int> h = set.Start({"sh", "-c", "sleep 0.2; echo " + std::to_string(i)});
    ASSERT_TRUE(h);
    handles.insert(*h);
  }
  EXPECT_EQ(set.running(), 4u);
  std::set<std::string> outputs;
  while (set.running() > 0) {
    ASSERT_TRUE(set.WaitForAny());
    while (auto done = set.NextFinished()) {
      EXPECT_TRUE(handles.count(done->first));
      outputs.insert(done->second.output);
    }
  }
  EXPECT_EQ(outputs, (std::set<std::string>{"0\n", "1\n", "2\n", "3\n"}));
}

// Running (a zombie no longer runs, whoever is yet to reap it).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z' && text[paren + 2] != 'X';
}

TEST(RunProcessTest, TimeoutKillsTheWholeGroup) {
  std::string pid_file = testing::TempDir() + "ws_timeout_child_" + std::to_string(::getpid());
  // The shell's background child is in its group: it must go too.
  Result<ProcessResult> r =
      RunProcess({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; wait"}, {.timeout_s = 0.3});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->Succeeded());
  EXPECT_EQ(r->Describe(), "did not finish within 0.3 s");
  std::ifstream in(pid_file);
  pid_t child = 0;
  ASSERT_TRUE(in >> child);
  // Killed and reaped by init (or us): gone within a moment.
  for (int i = 0; i < 200 && Alive(child); ++i) ::usleep(10'000);
  EXPECT_FALSE(Alive(child));
  std::remove(pid_file.c_str());
}

TEST(RunProcessTest, MissingWorkingDirectoryIsAnError) {
  Result<ProcessResult> r = RunProcess({"pwd"}, {.cwd = "/nonexistent/dir"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("No such file"), std::string::npos) << r.error().message;
}

TEST(DescribeSecondsTest, SecondsAndMinutes) {
  EXPECT_EQ(DescribeSeconds(2), "2 s");
  EXPECT_EQ(DescribeSeconds(90), "90 s");
  EXPECT_EQ(DescribeSeconds(1200), "20 min");
  EXPECT_EQ(DescribeSeconds(0.5), "0.5 s");
}

TEST(FindExecutableTest, FindsShell) {
  EXPECT_TRUE(FindExecutable("sh").has_value());
  EXPECT_FALSE(FindExecutable("/nonexistent/sh").has_value());
}

}  // namespace
}  // namespace ws
