// new, doctor, --help and --version.
#include <gtest/gtest.h>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

TEST(CommandsTest, NewScaffoldsAnAppThatBuildsAndRuns) {
  ProjectSandbox sandbox;
  RunResult created = sandbox.Wasmship({"new", "My Show"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  for (const char* file : {"wasmship.yaml", "devices.yaml", "src/main.cpp", "tests/smoke.yaml", ".gitignore"}) {
    EXPECT_TRUE(sandbox.Exists(std::string("My Show/") + file)) << file;
  }
  EXPECT_NE(sandbox.Read("My Show/wasmship.yaml").find("name: my-show"), std::string::npos);
  RunResult build = sandbox.Wasmship({"build"}, {}, "My Show");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  RunResult run = sandbox.Wasmship({"run"}, {}, "My Show");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Hello from my-show!\n");
  // The scaffolded scenario passes on both devices' variants.
  RunResult test = sandbox.Wasmship({"test"}, {}, "My Show");
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  ExpectContains(test.out, "2 runs: 2 passed, 0 failed, 0 skipped");
}

TEST(CommandsTest, NewRefusesANonEmptyDirectory) {
  ProjectSandbox sandbox;
  sandbox.Write("taken/notes.txt", "mine");
  RunResult r = sandbox.Wasmship({"new", "taken"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not an empty directory"), std::string::npos);
  EXPECT_EQ(sandbox.Read("taken/notes.txt"), "mine");
  EXPECT_FALSE(sandbox.Exists("taken/wasmship.yaml"));
}

TEST(CommandsTest, DoctorPassesHere) {
  ProjectSandbox sandbox;
  RunResult r = sandbox.Wasmship({"doctor"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* name : {"clang++-19", "wasm-ld-19", "wasi-libc", "libc++ (wasm32)", "compiler-rt (wasm32)",
                           "llvm-nm-19", "binaryen", "wabt", "zstd", "libsodium"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(r.out.find("missing"), std::string::npos) << r.out;
}

TEST(CommandsTest, DoctorNamesPackagesOfMissingParts) {
  ProjectSandbox sandbox;
  RunResult r = sandbox.Wasmship({"doctor"}, {"PATH=/nonexistent", "WASMSHIP_SYSROOT=/nonexistent"});
  EXPECT_EQ(r.exit_code, 2);
  for (const char* package : {"clang-19", "lld-19", "wasi-libc", "libc++-19-dev-wasm32", "binaryen", "wabt"}) {
    EXPECT_NE(r.out.find(std::string("install package ") + package), std::string::npos) << package;
  }
  EXPECT_NE(r.out.find("to fix: sudo apt-get install clang-19 lld-19"), std::string::npos) << r.out;
  // llvm-nm only names more in reports: shown, but not a reason to fail.
  EXPECT_NE(r.out.find("absent   llvm-nm-19"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("optional: builds work, reports name less"), std::string::npos) << r.out;
  std::string fix = r.out.substr(r.out.find("to fix:"));
  EXPECT_EQ(fix.find("llvm-19"), std::string::npos) << fix;
}

// SDL is opened only when a preview window opens: every other process
// (builds, their steps, CI machines without display libraries) starts
// without it and the libraries it pulls in.
TEST(CommandsTest, StartsWithoutLoadingDisplayLibraries) {
  ProjectSandbox sandbox;
  RunResult r = sandbox.Wasmship({"--version"}, {"LD_DEBUG=libs"});
  EXPECT_EQ(r.exit_code, 0);
  ExpectContains(r.err, "libbinaryen.so");  // LD_DEBUG works: the loaded libraries are listed
  for (const char* library : {"libSDL2", "libX11", "libpulse", "libwayland", "libcurl"}) {
    EXPECT_EQ(r.err.find(library), std::string::npos) << library;
  }
}

TEST(CommandsTest, HelpAndVersion) {
  ProjectSandbox sandbox;
  RunResult help = sandbox.Wasmship({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* part : {"build", "run", "doctor", "new", "--color", "-C", "Exit codes"}) {
    EXPECT_NE(help.out.find(part), std::string::npos) << part;
  }
  RunResult build_help = sandbox.Wasmship({"build", "--help"});
  EXPECT_EQ(build_help.exit_code, 0);
  EXPECT_NE(build_help.out.find("--profile"), std::string::npos);
  RunResult version = sandbox.Wasmship({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("wasmship ", 0), 0u);
}

}  // namespace
}  // namespace ws::e2e
