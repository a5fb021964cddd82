// Interop: a stock TUF client, tuf-js from npm (installed by this test into
// a prefix under the build directory, never globally), verifies a wasmship
// repository served by nginx on loopback: root chain (after a key
// rotation), timestamp, snapshot, targets, the channel's delegated role and
// a bundle. A tampered bundle must fail its verification too. wasmship's
// device client reads the same server over HTTP.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/e2e/project_sandbox.h"
#include "update-repo/repo_test_support.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// nginx serving `root` on a free loopback port, its files in `dir`; stopped by pid.
class Nginx {
 public:
  Nginx(const std::string& dir, const std::string& root) {
    for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) {
      port_ = FreePort();
      std::string conf = dir + "/nginx.conf";
      fs::create_directories(dir + "/tmp");
      FILE* f = fopen(conf.c_str(), "w");
      fprintf(f,
              "daemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n"
              "  access_log %s/access.log;\n  client_body_temp_path %s/tmp; proxy_temp_path %s/tmp;\n"
              "  fastcgi_temp_path %s/tmp; uwsgi_temp_path %s/tmp; scgi_temp_path %s/tmp;\n"
              "  server { listen 127.0.0.1:%d; root %s; }\n}\n",
              dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(),
              port_, root.c_str());
      fclose(f);
      pid_t pid = fork();
      if (pid == 0) {
        execlp("nginx", "nginx", "-p", dir.c_str(), "-c", conf.c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      for (int i = 0; i < 100; ++i) {
        if (Accepts(port_)) {
          pid_ = pid;
          break;
        }
        if (waitpid(pid, nullptr, WNOHANG) == pid) break;  // exited: the port was taken, try another
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (pid_ <= 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
      }
    }
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const { return pid_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(UpdateInterop, TufJsVerifiesAWasmshipRepositoryServedByNginx) {
  std::string prefix = fs::path(WASMSHIP_BINARY).parent_path().string() + "/tuf-js";
  if (!fs::exists(prefix + "/node_modules/tuf-js/package.json")) {
    RunResult npm = RunCommand({"npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "tuf-js@2"}, ".");
    ASSERT_EQ(npm.exit_code, 0) << "installing tuf-js from npm failed (network?):\n" << npm.err;
  }
  ProjectSandbox box;
  ::chmod(box.dir().c_str(), 0755);  // nginx's worker runs as another user
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
  Nginx nginx(box.Path("nginx"), box.Path("repo"));
  ASSERT_TRUE(nginx.running()) << box.Read("nginx/error.log");
  std::vector<std::string> env = {"NODE_PATH=" + prefix + "/node_modules"};
  auto verify = [&](const std::string& target, const std::string& run) {
    return RunCommand({"node", SourcePath("tests/e2e/data/tuf_js_verify.js"), nginx.url(), box.Path(run + "/meta"),
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
    return box.Wasmship({"device", "update", "--repo", nginx.url(), "--device", d, "--device-id", "id-1", "--state", state,
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
