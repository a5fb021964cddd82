#include "wasm-opt-passes/stderr_capture.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace ws::opt {
namespace {

struct stat Fd2() {
  struct stat st {};
  ::fstat(STDERR_FILENO, &st);
  return st;
}

TEST(StderrCaptureTest, CapturesBothStreamsAndRestoresFd2) {
  struct stat before = Fd2();
  {
    StderrCapture capture;
    std::fputs("from stdio, ", stderr);
    std::cerr << "from iostream";
    EXPECT_EQ(capture.Finish(), "from stdio, from iostream");
  }
  EXPECT_EQ(Fd2().st_ino, before.st_ino);
  EXPECT_EQ(Fd2().st_dev, before.st_dev);
}

TEST(StderrCaptureTest, TheDestructorRestoresWithoutFinish) {
  struct stat before = Fd2();
  {
    StderrCapture capture;
    std::cerr << "dropped";
  }
  EXPECT_EQ(Fd2().st_ino, before.st_ino);
}

}  // namespace
}  // namespace ws::opt
