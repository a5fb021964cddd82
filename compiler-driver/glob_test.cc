#include "compiler-driver/glob.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

class GlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ws_glob_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (const char* f : {"src/a.cpp", "src/b.cpp", "src/b.h", "src/ui/c.cpp", "src/ui/deep/d.cpp",
                          "src/.hidden.cpp", "main.cpp"}) {
      fs::create_directories((root_ / f).parent_path());
      std::ofstream(root_ / f) << "x";
    }
  }
  void TearDown() override { fs::remove_all(root_); }
  std::vector<std::string> Glob(const std::string& p) { return ExpandGlob(root_.string(), p); }
  fs::path root_;
};

TEST_F(GlobTest, StarMatchesOneSegment) {
  EXPECT_EQ(Glob("src/*.cpp"), (std::vector<std::string>{"src/a.cpp", "src/b.cpp"}));
}

TEST_F(GlobTest, DoubleStarCrossesDirectories) {
  EXPECT_EQ(Glob("src/**/*.cpp"), (std::vector<std::string>{"src/a.cpp", "src/b.cpp", "src/ui/c.cpp",
                                                             "src/ui/deep/d.cpp"}));
}

TEST_F(GlobTest, LiteralPathAndQuestionMark) {
  EXPECT_EQ(Glob("main.cpp"), (std::vector<std::string>{"main.cpp"}));
  EXPECT_EQ(Glob("./src/?.h"), (std::vector<std::string>{"src/b.h"}));
  EXPECT_EQ(Glob("src/[a].cpp"), (std::vector<std::string>{"src/a.cpp"}));
}

TEST_F(GlobTest, NoMatchIsEmpty) {
  EXPECT_TRUE(Glob("lib/*.cpp").empty());
  EXPECT_TRUE(Glob("src/*.rs").empty());
  EXPECT_TRUE(Glob("missing.cpp").empty());
}

TEST_F(GlobTest, SymlinkLoopsEndAndEachFileCountsOnce) {
  // ln -s .. src/loop; ln -s ../src src/loop2: without loop detection `**`
  // never ends (src/loop/src/loop/...).
  fs::create_directory_symlink("..", root_ / "src/loop");
  fs::create_directory_symlink("../src", root_ / "src/loop2");
  std::vector<std::string> found = Glob("src/**/*.cpp");
  EXPECT_EQ(found, (std::vector<std::string>{"src/a.cpp", "src/b.cpp", "src/loop/main.cpp", "src/ui/c.cpp",
                                              "src/ui/deep/d.cpp"}));
}

TEST_F(GlobTest, SelfLinkListsTheFileOnce) {
  // ln -s . src/loop used to list src/loop/loop/.../a.cpp dozens of times.
  fs::create_directory_symlink(".", root_ / "src/loop");
  EXPECT_EQ(Glob("src/**/*.cpp"), (std::vector<std::string>{"src/a.cpp", "src/b.cpp", "src/ui/c.cpp",
                                                             "src/ui/deep/d.cpp"}));
  EXPECT_EQ(Glob("src/*/*.cpp"), (std::vector<std::string>{"src/loop/a.cpp", "src/loop/b.cpp", "src/ui/c.cpp"}));
}

TEST_F(GlobTest, LinkedDirectoryOutsideTheTreeIsFollowed) {
  fs::path other = root_.string() + "_other";
  fs::create_directories(other / "lib");
  std::ofstream(other / "lib/e.cpp") << "x";
  fs::create_directory_symlink(other / "lib", root_ / "src/vendor");
  EXPECT_EQ(Glob("src/vendor/**/*.cpp"), (std::vector<std::string>{"src/vendor/e.cpp"}));
  fs::remove_all(other);
}

TEST_F(GlobTest, PatternsLeavingTheRootMatchNothing) {
  std::ofstream(root_ / "../ws_glob_outside.conf") << "x";
  EXPECT_TRUE(GlobLeavesRoot("../*.conf"));
  EXPECT_TRUE(GlobLeavesRoot("../../../etc/*.conf"));
  EXPECT_TRUE(GlobLeavesRoot("src/../../x.cpp"));
  EXPECT_TRUE(GlobLeavesRoot("src/**/../../x.cpp"));
  EXPECT_TRUE(GlobLeavesRoot("/etc/*.conf"));
  EXPECT_FALSE(GlobLeavesRoot("src/../src/*.cpp"));
  EXPECT_FALSE(GlobLeavesRoot("./src/**/*.cpp"));
  EXPECT_TRUE(Glob("../ws_glob_outside.conf").empty());
  fs::remove(root_ / "../ws_glob_outside.conf");
}

TEST_F(GlobTest, StopsWhenInterrupted) {
  {
    InterruptCatcher catcher;
    std::raise(SIGINT);
    EXPECT_TRUE(Glob("src/**/*.cpp").empty());
  }
  InterruptCatcher reset;  // a new catcher clears the flag for the tests after this one
  EXPECT_EQ(Glob("src/**/*.cpp").size(), 4u);
}

TEST_F(GlobTest, HiddenFilesNeedExplicitDot) {
  EXPECT_EQ(Glob("src/.*.cpp"), (std::vector<std::string>{"src/.hidden.cpp"}));
}

}  // namespace
}  // namespace ws
