#include "platform/subprocess.h"

#include <gtest/gtest.h>

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

TEST(FindExecutableTest, FindsShell) {
  EXPECT_TRUE(FindExecutable("sh").has_value());
  EXPECT_FALSE(FindExecutable("/nonexistent/sh").has_value());
}

}  // namespace
}  // namespace ws
