#include "compiler-driver/glob.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

TEST_F(GlobTest, HiddenFilesNeedExplicitDot) {
  EXPECT_EQ(Glob("src/.*.cpp"), (std::vector<std::string>{"src/.hidden.cpp"}));
}

}  // namespace
}  // namespace ws
