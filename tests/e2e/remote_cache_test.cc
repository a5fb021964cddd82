// The remote cache end to end (docs/remote-cache.md): the real wasmship
// against a real nginx (WebDAV) on a loopback port. One machine builds and
// uploads; a second, with an empty local cache and read-only access, builds
// the same sources from the remote without running clang, wasm-ld or
// Binaryen; a remote that is down costs a warning, never the build.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "remote-cache/testing/fault_server.h"
#include "remote-cache/testing/nginx_server.h"
#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A copy of the example's sources at `to` (another checkout).
void Checkout(const ProjectSandbox& project, const std::string& example, const std::string& to) {
  fs::copy(SourcePath("examples/" + example), project.Path(to), fs::copy_options::recursive);
}

TEST(RemoteCacheTest, SecondMachineBuildsFromTheRemoteWithoutTools) {
  auto server = remote::testing::NginxServer::Start();
  ASSERT_TRUE(server) << server.error().message;
  std::string remote = (*server)->Url("/team/ws");
  ProjectSandbox project;
  Checkout(project, "hello", "first");
  Checkout(project, "hello", "second");

  // The CI machine: an empty local cache, writing to the remote.
  RunResult cold = project.Wasmship({"build"}, {"WASMSHIP_CACHE_DIR=" + project.Path("cache-a"),
                                                "WASMSHIP_REMOTE_CACHE=" + remote}, "first");
  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  EXPECT_FALSE(ToolSteps(cold).empty());
  EXPECT_EQ(cold.err.find("remote cache"), std::string::npos) << cold.err;
  std::vector<std::string> uploaded = (*server)->Files();
  size_t log_before = (*server)->AccessLog().size();
  ASSERT_FALSE(uploaded.empty());
  EXPECT_EQ(uploaded.front().rfind("team/ws/", 0), 0u) << uploaded.front();

  // A developer's machine: nothing local, the remote read-only.
  RunResult warm = project.Wasmship({"build"}, {"WASMSHIP_CACHE_DIR=" + project.Path("cache-b"),
                                                "WASMSHIP_REMOTE_CACHE=" + remote,
                                                "WASMSHIP_REMOTE_CACHE_READ_ONLY=1"}, "second");
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_EQ(ToolSteps(warm), std::vector<std::string>{}) << warm.out << warm.err;
  std::vector<std::string> bundles = project.FilesIn("first/dist/debug/bundles", ".wsb");
  ASSERT_EQ(bundles.size(), 1u);
  std::string bundle = "dist/debug/bundles/" + bundles[0];
  EXPECT_EQ(project.Read("first/" + bundle), project.Read("second/" + bundle));
  EXPECT_EQ((*server)->Files(), uploaded);  // read-only: nothing new
  std::string second_log = (*server)->AccessLog().substr(log_before);
  EXPECT_NE(second_log.find("GET"), std::string::npos);
  EXPECT_EQ(second_log.find("PUT"), std::string::npos) << second_log;
  EXPECT_TRUE(project.Exists("cache-b/cas"));  // what it fetched is now local
}

// A remote that is down, hangs, answers 500 or sends damaged entries, or a
// URL that is malformed: one warning, and the build finishes locally.
TEST(RemoteCacheTest, ABrokenRemoteNeverFailsTheBuild) {
  ProjectSandbox project;
  Checkout(project, "hello", "app");
  std::vector<std::string> local = {"WASMSHIP_CACHE_DIR=" + project.Path("cache")};
  RunResult first = project.Wasmship({"build"}, local, "app");
  ASSERT_EQ(first.exit_code, 0) << first.err;

  using remote::testing::FaultMode;
  std::vector<std::unique_ptr<remote::testing::FaultServer>> servers;
  std::vector<std::pair<std::string, std::string>> cases = {
      {"down", "http://127.0.0.1:" + std::to_string(remote::testing::ClosedLoopbackPort())},
      {"malformed", "http://exa mple/"}};
  for (auto [name, mode] : {std::pair{"500", FaultMode::kError500}, std::pair{"hang", FaultMode::kHang},
                            std::pair{"wrong content", FaultMode::kWrongContent}}) {
    auto server = remote::testing::FaultServer::Start(mode);
    ASSERT_TRUE(server) << server.error().message;
    cases.emplace_back(name, (*server)->Url());
    servers.push_back(std::move(*server));
  }
  std::string main = project.Read("app/src/main.cpp");
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& [name, url] = cases[i];
    SCOPED_TRACE(name + " " + url);
    // A source no cache has seen: its compile, the link, the optimizer and
    // the bundle ask the remote.
    project.Write("app/src/main.cpp", main + "\n// case " + std::to_string(i) + "\n");
    std::vector<std::string> env = local;
    env.push_back("WASMSHIP_REMOTE_CACHE=" + url);
    RunResult build = project.Wasmship({"build"}, env, "app");
    ASSERT_EQ(build.exit_code, 0) << build.err;
    EXPECT_FALSE(ToolSteps(build).empty()) << build.out << build.err;
    EXPECT_FALSE(project.FilesIn("app/dist/debug/bundles", ".wsb").empty());
    if (name == "wrong content") {
      EXPECT_LE(Count(build.err, "warning:"), 1u) << build.err;  // a 404 for most, a damaged entry warned once
    } else {
      EXPECT_EQ(Count(build.err, "warning:"), 1u) << build.err;
      ExpectContains(build.err, name == "malformed" ? "WASMSHIP_REMOTE_CACHE" : "remote cache");
    }
  }
}

}  // namespace
}  // namespace ws::e2e
