// Interop: a stock TUF client, tuf-js from npm (installed by this test into
// a prefix under the build directory, never globally), verifies a wasmship
// repository served by nginx on loopback: root chain (after a key
// rotation), timestamp, snapshot, targets, the channel's delegated role and
// a bundle. A tampered bundle must fail its verification too. wasmship's
// device client reads the same server over HTTP.
#include <gtest/gtest.h>

#include <filesystem>

#include "remote-cache/testing/nginx_server.h"
#include "tests/e2e/project_sandbox.h"
#include "update-repo/repo_test_support.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

TEST(UpdateInterop, TufJsVerifiesAWasmshipRepositoryServedByNginx) {
  std::string prefix = fs::path(WASMSHIP_BINARY).parent_path().string() + "/tuf-js";
  if (!fs::exists(prefix + "/node_modules/tuf-js/package.json")) {
    RunResult npm = RunCommand({"npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "tuf-js@2"}, ".");
    ASSERT_EQ(npm.exit_code, 0) << "installing tuf-js from npm failed (network?):\n" << npm.err;
  }
  ProjectSandbox box;
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "root.key"}).exit_code, 0);
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "online.key"}).exit_code, 0);
  ASSERT_EQ(box.Wasmship({"keygen", "-o", "timestamp2.key"}).exit_code, 0);
  RunResult init = box.Wasmship({"repo", "init", "repo", "--root-key", "root.key", "--targets-key", "online.key",
                                 "--snapshot-key", "online.key", "--timestamp-key", "online.key"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  tuf::testing::ScratchRepo::WriteDist(box.Path("dist1"), "1.0.0", tuf::testing::kTwoVariants, "catalog", "");
  tuf::testing::ScratchRepo::WriteDist(box.Path("dist2"), "1.1.0", tuf::testing::kTwoVariants, "catalog", "");
  for (const char* dist : {"dist1", "dist2"}) {
    RunResult p = box.Wasmship({"publish", "--repo", "repo", "--channel", "beta", "--dist", dist, "--key", "online.key"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  RunResult rotate = box.Wasmship({"repo", "rotate-key", "repo", "timestamp", "--key", "root.key", "--key", "online.key",
                                   "--new-key", "timestamp2.key"});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  auto nginx = remote::testing::NginxServer::Start({.serve = box.Path("repo")});
  ASSERT_TRUE(nginx) << nginx.error().message;
  std::string url = (*nginx)->Url();
  std::vector<std::string> env = {"NODE_PATH=" + prefix + "/node_modules"};
  auto verify = [&](const std::string& target, const std::string& run) {
    return RunCommand({"node", SourcePath("tests/e2e/data/tuf_js_verify.js"), url, box.Path(run + "/meta"),
                       box.Path(run + "/targets"), box.Path("repo/1.root.json"), target},
                      box.dir(), env);
  };
  int run = 0;
  for (const char* target : {"beta/catalog-1.1.0-simd-512m-release.wsb", "beta/catalog-1.1.0-base-64m-release.from-1.0.0.wsb"}) {
    RunResult ok = verify(target, "run-" + std::to_string(run++));
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    ExpectContains(ok.out, std::string("verified ") + target);
  }
  // wasmship's own client over HTTP (libcurl) from the same server.
  auto device = [&](const std::string& d, const std::string& state) {
    return box.Wasmship({"device", "update", "--repo", url, "--device", d, "--device-id", "id-1", "--state", state,
                         "--trusted-root", "repo/1.root.json", "--channel", "beta"});
  };
  RunResult http = device("tv-2019", "state-tv");
  EXPECT_EQ(http.exit_code, 0) << http.err;
  ExpectContains(http.out, "id-1: installed 1.1.0 from beta/catalog-1.1.0-base-64m-release.wsb");
  for (const auto& e : fs::recursive_directory_iterator(box.Path("repo/targets"))) {
    if (e.path().filename().string().find("catalog-1.1.0-simd-512m-release.wsb") == std::string::npos) continue;
    std::string rel = fs::relative(e.path(), box.dir()).string();
    std::string bytes = box.Read(rel);
    bytes[bytes.size() / 2] ^= 1;
    box.Write(rel, bytes);
  }
  RunResult tampered = verify("beta/catalog-1.1.0-simd-512m-release.wsb", "run-tampered");
  EXPECT_NE(tampered.exit_code, 0);
  ExpectContains(tampered.err, "Expected hash");
  RunResult refused = device("console-2022", "state-console");
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  ExpectContains(refused.err, "update refused: arbitrary software attack: beta/catalog-1.1.0-simd-512m-release.wsb");
}

}  // namespace
}  // namespace ws::e2e
