#include "compiler-driver/output_set.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

using Tree = std::map<std::string, std::string>;  // relative path → content

class OutputSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::path(testing::TempDir()) / ("ws_outputs_" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    for (const auto& [path, text] : kOld) ASSERT_TRUE(WriteFileAtomically(dir_ + "/" + path, text));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every file under the directory, .staging included.
  Tree Read() const {
    Tree tree;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      if (!entry.is_regular_file()) continue;
      tree[fs::relative(entry.path(), dir_).string()] = *ReadFile(entry.path().string());
    }
    return tree;
  }

  // Stages the new tree: three files replaced, one added, one removed.
  void StageNew(OutputSet& set) {
    for (const auto& [path, text] : kNewFiles) ASSERT_TRUE(set.Stage(dir_ + "/" + path, text));
    set.Remove(dir_ + "/report.junit.xml");
  }

  Tree New() const {
    Tree tree = kOld;
    tree.erase("report.junit.xml");
    for (const auto& [path, text] : kNewFiles) tree[path] = text;
    return tree;
  }

  const Tree kOld = {{"app.wasm", "old module"},
                     {"bundles/app.wsb", "old bundle"},
                     {"index.json", "old index"},
                     {"report.junit.xml", "old junit"},
                     {"other.txt", "not this build's"}};
  const Tree kNewFiles = {{"app.wasm", "new module"},
                          {"bundles/app.wsb", "new bundle"},
                          {"bundles/app.delta-1.wsb", "new delta"},
                          {"index.json", "new index"}};
  std::string dir_;
};

TEST_F(OutputSetTest, CommitReplacesEverythingAndLeavesNoStaging) {
  OutputSet set(dir_);
  StageNew(set);
  EXPECT_EQ(Read().count("app.wasm"), 1u);
  EXPECT_EQ(Read().at("app.wasm"), "old module");  // staged, not yet in place
  ASSERT_TRUE(set.Commit());
  EXPECT_EQ(Read(), New());
  EXPECT_FALSE(fs::exists(dir_ + "/.staging"));
}

TEST_F(OutputSetTest, WithoutACommitNothingChanges) {
  {
    OutputSet set(dir_);
    StageNew(set);
  }
  EXPECT_EQ(Read(), kOld);
  EXPECT_FALSE(fs::exists(dir_ + "/.staging"));
}

// A build killed (SIGKILL) after any number of renames: the next start
// completes the commit. A build killed before the journal: it removes the
// staged files and the old outputs stand.
TEST_F(OutputSetTest, RecoveryCompletesACommitKilledAtAnyPoint) {
  for (size_t stop = 0; stop <= 5; ++stop) {
    SetUp();
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      OutputSet set(dir_);
      StageNew(set);
      if (stop == 0) ::_exit(9);  // killed before the commit
      (void)set.Commit([stop](size_t done, size_t) {
        if (done == stop) ::_exit(9);
      });
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(RecoverOutputs(dir_)) << stop;
    EXPECT_EQ(Read(), stop == 0 ? kOld : New()) << "killed after " << stop << " renames";
    EXPECT_FALSE(fs::exists(dir_ + "/.staging"));
  }
}

TEST_F(OutputSetTest, ADirectoryInTheWayFailsBeforeAnythingMoves) {
  fs::remove(dir_ + "/bundles/app.wsb");
  fs::create_directories(dir_ + "/bundles/app.wsb/x");
  Tree before = Read();
  OutputSet set(dir_);
  StageNew(set);
  Status committed = set.Commit();
  ASSERT_FALSE(committed);
  EXPECT_NE(committed.error().message.find("bundles/app.wsb: a directory is in the way"), std::string::npos)
      << committed.error().message;
  EXPECT_TRUE(set.restored());
  EXPECT_EQ(Read(), before);
  EXPECT_FALSE(fs::exists(dir_ + "/.staging"));
}

// A rename that fails halfway (here: bundles/ became a file after the
// checks) moves the files already replaced back.
TEST_F(OutputSetTest, AFailureHalfwayMovesThePreviousFilesBack) {
  OutputSet set(dir_);
  StageNew(set);
  Status committed = set.Commit([this](size_t done, size_t) {
    if (done != 1) return;
    fs::rename(dir_ + "/bundles", dir_ + "/bundles.moved");
    std::ofstream(dir_ + "/bundles") << "in the way";
  });
  ASSERT_FALSE(committed);
  EXPECT_TRUE(set.restored());
  Tree after = Read();
  EXPECT_EQ(after.at("app.wasm"), "old module");
  EXPECT_EQ(after.at("index.json"), "old index");
  EXPECT_EQ(after.at("report.junit.xml"), "old junit");
  EXPECT_FALSE(fs::exists(dir_ + "/.staging"));
}

TEST_F(OutputSetTest, OutputsOutsideTheDirectoryAreRefused) {
  OutputSet set(dir_ + "/sub");
  EXPECT_FALSE(set.Stage(dir_ + "/app.wasm", "x"));
}

}  // namespace
}  // namespace ws
