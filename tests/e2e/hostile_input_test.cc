// Inputs an adversary (or an accident) would give: key outputs that are
// not files, missing directories, an empty project name, YAML nested
// 100,000 deep, corrupt bundles handed to `size`, and bundles whose
// manifests name an ABI, feature or variant no device accepts.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool IsFifo(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

TEST(HostileInputTest, KeygenRefusesTargetsThatAreNotRegularFiles) {
  ProjectSandbox project;
  ASSERT_EQ(::mkfifo(project.Path("pipe").c_str(), 0600), 0);
  fs::create_directories(project.Path("folder"));
  // With --force too: --force replaces old keys, never a FIFO, directory or device.
  for (const char* target : {"pipe", "folder"}) {
    RunResult r = project.Wasmship({"keygen", "-o", target, "--force"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    ExpectContains(r.err, std::string(target) + " exists and is not a regular file");
  }
  EXPECT_TRUE(IsFifo(project.Path("pipe")));
  EXPECT_TRUE(fs::is_directory(project.Path("folder")));
  EXPECT_FALSE(project.Exists("pipe.pub"));
  EXPECT_FALSE(project.Exists("folder.pub"));
  // The public key's path is checked as well, before anything is written.
  ASSERT_EQ(::mkfifo(project.Path("k.key.pub").c_str(), 0600), 0);
  RunResult pub = project.Wasmship({"keygen", "-o", "k.key", "--force"});
  EXPECT_EQ(pub.exit_code, 2) << pub.err;
  ExpectContains(pub.err, "k.key.pub exists and is not a regular file");
  EXPECT_FALSE(project.Exists("k.key"));
  EXPECT_TRUE(IsFifo(project.Path("k.key.pub")));
}

TEST(HostileInputTest, KeygenDoesNotCreateMissingDirectories) {
  ProjectSandbox project;
  RunResult r = project.Wasmship({"keygen", "-o", "no/such/dir/release.key"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectContains(r.err, "the directory no/such/dir of no/such/dir/release.key does not exist");
  ExpectContains(r.err, "mkdir -p no/such/dir");
  EXPECT_FALSE(project.Exists("no"));
  fs::create_directories(project.Path("keys"));
  EXPECT_EQ(project.Wasmship({"keygen", "-o", "keys/release.key"}).exit_code, 0);
  EXPECT_TRUE(project.Exists("keys/release.key.pub"));
}

TEST(HostileInputTest, NewWithAnEmptyNameIsAUsageError) {
  ProjectSandbox project;
  RunResult r = project.Wasmship({"new", ""});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectContains(r.err, "the directory name is empty");
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_FALSE(project.Exists("wasmship.yaml"));
}

TEST(HostileInputTest, DeeplyNestedYamlGetsAShortError) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: deep, version: 0.1.0 }\nsources: " + std::string(100000, '[') +
                                     std::string(100000, ']') + "\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 2000);
  ExpectContains(r.err, "wasmship.yaml:2:110: error: invalid YAML: lists and mappings nest more than 100 levels");
  EXPECT_LT(r.err.size(), 1000u) << r.err.substr(0, 2000);
}

TEST(HostileInputTest, SizeOfACorruptBundleIsAVerificationFailure) {
  ProjectSandbox project;
  project.Write("corrupt.wsb", std::string("WSB1") + std::string(40, '\x7f'));
  RunResult corrupt = project.Wasmship({"size", "corrupt.wsb"});
  EXPECT_EQ(corrupt.exit_code, 5) << corrupt.err;
  ExpectContains(corrupt.err, "corrupt.wsb");
  project.Write("notes.txt", "neither wasm nor a bundle\n");
  RunResult other = project.Wasmship({"size", "notes.txt"});
  EXPECT_EQ(other.exit_code, 2) << other.err;
  ExpectContains(other.err, "notes.txt");
}

// Replaces `from` with `to` (the same length) in the bundle's manifest.
std::string Patched(std::string bundle, const std::string& from, const std::string& to) {
  size_t at = bundle.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(from.size(), to.size());
  if (at != std::string::npos) bundle.replace(at, from.size(), to);
  return bundle;
}

TEST(HostileInputTest, ManifestValuesNoDeviceAcceptsAreRefused) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult build = project.Wasmship({"build", "--format", "json"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  std::string bundle = project.Read(fs::relative(json::parse(build.out)["bundle"].get<std::string>(), project.dir()));
  ASSERT_EQ(bundle.rfind("WSB1", 0), 0u);
  std::string variant = json::parse(build.out)["report"]["variants"][0]["name"];
  std::string escape = std::string("../../etc/passwd").substr(0, variant.size());
  escape.append(variant.size() - escape.size(), 'x');
  struct Case {
    std::string name, bytes, says;
  };
  for (const Case& c : {Case{"abi.wsb", Patched(bundle, "\"host_abi\":1", "\"host_abi\":0"), "host ABI 0"},
                        Case{"feature.wsb", Patched(bundle, "\"sign_ext\"", "\"teleport\""), "teleport"},
                        Case{"variant.wsb", Patched(bundle, "\"variant\":\"" + variant, "\"variant\":\"" + escape),
                             "\"variant\" is \"" + escape + "\"; a variant is a plain name"}}) {
    project.Write(c.name, c.bytes);
    RunResult run = project.Wasmship({"run", "--bundle", c.name, "--frames", "1"});
    EXPECT_EQ(run.exit_code, 5) << c.name << "\n" << run.err;
    ExpectContains(run.err, c.says);
    RunResult size = project.Wasmship({"size", c.name});
    EXPECT_EQ(size.exit_code, 5) << c.name << "\n" << size.err;
  }
}

}  // namespace
}  // namespace ws::e2e
