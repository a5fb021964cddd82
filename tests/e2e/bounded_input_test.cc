// Every file wasmship reads is a regular file within a cap that fits its
// kind: a device (/dev/zero, /dev/urandom), a FIFO or a directory given
// where a file belongs is refused at once, naming the file, with the
// documented exit code (5 for bundles, 2 for everything else), and never
// blocks. Source globs follow each directory once and stay in the project.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// wasmship under timeout(1): a command that blocks on a FIFO or loops fails
// the test with exit 124 instead of hanging the suite.
RunResult Bounded(const ProjectSandbox& project, const std::vector<std::string>& args, int seconds = 60) {
  std::vector<std::string> argv = {"timeout", "-k", "5", std::to_string(seconds), WASMSHIP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, project.dir(), project.Environment());
}

// A FIFO and a directory in the sandbox: no writer ever opens the FIFO.
void MakeSpecialFiles(const ProjectSandbox& project) {
  ASSERT_EQ(::mkfifo(project.Path("pipe.wsb").c_str(), 0600), 0);
  fs::create_directories(project.Path("folder.wsb"));
}

// A sparse file of `bytes` (takes no disk space).
void WriteSparse(ProjectSandbox& project, const std::string& name, uintmax_t bytes) {
  project.Write(name, "");
  fs::resize_file(project.Path(name), bytes);
}

void ExpectRefused(const RunResult& r, int exit_code, const std::string& file, const std::string& why) {
  EXPECT_EQ(r.exit_code, exit_code) << r.err;
  ExpectContains(r.err, file);
  ExpectContains(r.err, why);
  EXPECT_EQ(r.err.find("bad_alloc"), std::string::npos) << r.err;
}

TEST(BoundedInputTest, SymlinkLoopsInASourceGlobEndAndCompileMainOnce) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: loops, version: 0.1.0 }\nsources: [\"src/**/*.cpp\"]\n");
  project.Write("src/main.cpp", MinimalAppSource());
  fs::create_directory_symlink("..", project.Path("src/loop"));
  fs::create_directory_symlink("../src", project.Path("src/loop2"));
  fs::create_directory_symlink(".", project.Path("src/self"));
  RunResult r = Bounded(project, {"build", "--format", "json"}, 300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json summary = json::parse(r.out);
  int mains = 0;
  for (const json& unit : summary["report"]["cache"]["units"]) {
    std::string source = unit["source"];
    if (source.ends_with("main.cpp")) ++mains;
  }
  EXPECT_EQ(mains, 1) << summary["report"]["cache"]["units"].dump(1);
}

TEST(BoundedInputTest, SourceGlobLeavingTheProjectIsAConfigurationError) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: out, version: 0.1.0 }\nsources: [src/*.cpp, '../../../etc/*.conf']\n");
  project.Write("src/main.cpp", MinimalAppSource());
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "wasmship.yaml:2:22: error: source glob '../../../etc/*.conf' leaves the project directory");
}

TEST(BoundedInputTest, IncludingDevZeroFailsTheBuildNamingIt) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: zero, version: 0.1.0 }\nsources: [src/*.cpp]\n");
  project.Write("src/main.cpp", "#include \"/dev/zero\"\n" + MinimalAppSource());
  RunResult r = Bounded(project, {"build"}, 300);
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << r.exit_code << "\n" << r.err;
  ExpectContains(r.err, "/dev/zero");
  EXPECT_EQ(r.err.find("bad_alloc"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(BoundedInputTest, BundleVerifyAndInspectRefuseDevicesFifosAndDirectories) {
  ProjectSandbox project;
  MakeSpecialFiles(project);
  ASSERT_EQ(project.Wasmship({"keygen", "-o", "k.key"}).exit_code, 0);
  for (const std::string& file : {std::string("/dev/zero"), std::string("pipe.wsb"), std::string("folder.wsb")}) {
    ExpectRefused(Bounded(project, {"bundle", "verify", file, "--pubkey", "k.key.pub"}), 5, file, "not a regular file");
    ExpectRefused(Bounded(project, {"bundle", "inspect", file}), 5, file, "not a regular file");
  }
  ExpectRefused(Bounded(project, {"bundle", "inspect", "/dev/urandom"}), 5, "/dev/urandom", "a character device");
  // --base and --pubkey are read before the bundle is looked at.
  project.Write("any.wsb", "WSB1");
  ExpectRefused(Bounded(project, {"bundle", "verify", "any.wsb", "--pubkey", "k.key.pub", "--base", "/dev/zero"}), 5,
                "/dev/zero", "a character device");
  ExpectRefused(Bounded(project, {"bundle", "verify", "any.wsb", "--pubkey", "k.key.pub", "--base", "pipe.wsb"}), 5,
                "pipe.wsb", "a FIFO");
  ExpectRefused(Bounded(project, {"bundle", "verify", "any.wsb", "--pubkey", "/dev/zero"}), 2, "/dev/zero",
                "a character device");
  ExpectRefused(Bounded(project, {"bundle", "verify", "any.wsb", "--pubkey", "pipe.wsb"}), 2, "pipe.wsb", "a FIFO");
}

TEST(BoundedInputTest, FilesOverTheirKindsCapAreRefusedNamingTheCap) {
  ProjectSandbox project;
  ASSERT_EQ(project.Wasmship({"keygen", "-o", "k.key"}).exit_code, 0);
  WriteSparse(project, "huge.wsb", 300ull << 20);
  ExpectRefused(Bounded(project, {"bundle", "verify", "huge.wsb", "--pubkey", "k.key.pub"}), 5, "huge.wsb",
                "a bundle may be at most");
  WriteSparse(project, "huge.pub", 1ull << 20);
  project.Write("any.wsb", "WSB1");
  ExpectRefused(Bounded(project, {"bundle", "verify", "any.wsb", "--pubkey", "huge.pub"}), 2, "huge.pub",
                "a key file may be at most 64 KiB");
  project.Write("wasmship.yaml", "app: { name: big, version: 0.1.0 }\nsources: [src/*.cpp]\n# " +
                                     std::string(2u << 20, 'x') + "\n");
  ExpectRefused(project.Wasmship({"build"}), 2, "wasmship.yaml", "a configuration file may be at most 1 MiB");
}

TEST(BoundedInputTest, RunRefusesADeviceOrFifoAsItsBundle) {
  ProjectSandbox project;
  project.CopyExample("hello");
  MakeSpecialFiles(project);
  ExpectRefused(Bounded(project, {"run", "--bundle", "/dev/zero"}), 5, "/dev/zero", "a character device");
  ExpectRefused(Bounded(project, {"run", "--bundle", "pipe.wsb"}), 5, "pipe.wsb", "a FIFO");
  ExpectRefused(Bounded(project, {"run", "--bundle", "folder.wsb"}), 5, "folder.wsb", "a directory");
}

TEST(BoundedInputTest, SizeReportDiffAndDeltaRefuseDevicesAndFifos) {
  ProjectSandbox project;
  MakeSpecialFiles(project);
  project.Write("report.json", "{\"variants\": []}\n");
  project.Write("new.wsb", "WSB1 not really");
  for (const std::string& file : {std::string("/dev/urandom"), std::string("/dev/zero"), std::string("pipe.wsb")}) {
    ExpectRefused(Bounded(project, {"size", file}), 2, file, "not a regular file");
    ExpectRefused(Bounded(project, {"report", "diff", file, "report.json"}), 2, file, "not a regular file");
    ExpectRefused(Bounded(project, {"report", "diff", "report.json", file}), 2, file, "not a regular file");
    ExpectRefused(Bounded(project, {"bundle", "delta", "--from", file, "--to", "new.wsb", "-o", "out.wsb"}), 2, file,
                  "not a regular file");
    ExpectRefused(Bounded(project, {"bundle", "delta", "--from", "new.wsb", "--to", file, "-o", "out.wsb"}), 2, file,
                  "not a regular file");
  }
  EXPECT_FALSE(project.Exists("out.wsb"));
}

}  // namespace
}  // namespace ws::e2e
