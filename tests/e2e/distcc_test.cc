// Distributed compiles (issue 15, item 4): with `distcc` as the compiler
// launcher, catalog's compiles run on a real distccd (on loopback, started
// here) and the objects and bundles are byte-identical to a local build's.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;

// A loopback port nobody listens on right now (the daemon may still lose a
// race for it: Start retries).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
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

// distccd on 127.0.0.1, in its own process group (on SIGTERM it signals
// its whole group), logging to `log`; stopped by pid on destruction.
// --enable-tcp-insecure: distccd 3.3+ otherwise only runs compilers linked
// from /usr/lib/distcc, and tests do not write there. Run as root, distccd
// drops to an unprivileged user, so its temporary directory is one anyone
// may write to, and the log is its stderr (a file opened here).
class Distccd {
 public:
  Distccd(const std::string& dir) : log_(dir + "/distccd.log") {
    std::string tmp = dir + "/distccd-tmp";
    fs::create_directories(tmp);
    chmod(tmp.c_str(), 01777);
    for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) Start(tmp);
  }
  ~Distccd() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }
  const std::string& log() const { return log_; }

 private:
  void Start(const std::string& tmp) {
    port_ = FreePort();
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 2);
      setenv("TMPDIR", tmp.c_str(), 1);
      std::string port = std::to_string(port_);
      execl("/usr/bin/distccd", "distccd", "--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", port.c_str(),
            "--allow", "127.0.0.1", "--log-stderr", "--log-level", "info", "--enable-tcp-insecure", "--jobs", "2",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (Accepts(port_)) {
        pid_ = pid;
        return;
      }
      if (waitpid(pid, nullptr, WNOHANG) == pid) return;  // lost the port: try another
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(-pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }

  std::string log_;
  int port_ = -1;
  pid_t pid_ = -1;
};

// Every object of the build directory: path → content.
std::map<std::string, std::string> Objects(const ProjectSandbox& project) {
  std::map<std::string, std::string> objects;
  for (const auto& entry : fs::recursive_directory_iterator(project.Path(".wasmship/build"))) {
    if (entry.is_regular_file() && entry.path().extension() == ".o") {
      std::string relative = fs::relative(entry.path(), project.dir()).string();
      objects[relative] = project.Read(relative);
    }
  }
  return objects;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(DistccTest, CompilesOnDistccdByteIdenticalToALocalBuild) {
  if (!fs::exists("/usr/bin/distcc") || !fs::exists("/usr/bin/distccd")) {
    GTEST_SKIP() << "distcc is not installed (scripts/setup installs it)";
  }
  ProjectSandbox project;
  project.CopyExample("catalog");
  Distccd daemon(project.Path("distccd"));
  ASSERT_TRUE(daemon.running()) << project.Read("distccd/distccd.log");

  // A fresh cache, and no local fallback that could fake a remote compile.
  fs::create_directories(project.Path("distcc-client"));
  std::vector<std::string> distcc = {"WASMSHIP_COMPILER_LAUNCHER=distcc",
                                     "DISTCC_HOSTS=127.0.0.1:" + std::to_string(daemon.port()) + "/2",
                                     "DISTCC_DIR=" + project.Path("distcc-client"), "DISTCC_FALLBACK=0",
                                     "DISTCC_SKIP_LOCAL_RETRY=1", "WASMSHIP_CACHE_DIR=" + project.Path("distcc-cache")};
  RunResult remote = project.Wasmship({"build", "--device", "tv-2019", "--out", "remote"}, distcc);
  ASSERT_EQ(remote.exit_code, 0) << remote.err << project.Read("distccd/distccd.log");
  // distcc's remote clang sees preprocessed text: no warnings about the
  // PCH and include flags it no longer needs.
  EXPECT_EQ(remote.err.find("unused"), std::string::npos) << remote.err;

  // Every compile of the build ran on the daemon.
  nlohmann::json report = nlohmann::json::parse(project.Read("remote/report.json"));
  size_t compiled = report["cache"]["misses"];
  EXPECT_GT(compiled, 30u);
  std::string log = project.Read("distccd/distccd.log");
  EXPECT_EQ(Count(log, "COMPILE_OK"), compiled) << log;
  EXPECT_EQ(Count(log, "COMPILE_ERROR") + Count(log, "CLI_ERROR"), 0u) << log;
  ExpectContains(log, "src/app_state.cpp");               // an app source, with the PCH
  ExpectContains(log, "expanded/src/main.cpp");           // a DSL source's expansion
  ExpectContains(log, "runtime/src/world.cc");            // the runtime
  std::map<std::string, std::string> remote_objects = Objects(project);

  // The same build with local compiles (another cache, a clean build dir).
  fs::remove_all(project.Path(".wasmship/build"));
  RunResult local = project.Wasmship({"build", "--device", "tv-2019", "--out", "local"},
                                     {"WASMSHIP_CACHE_DIR=" + project.Path("local-cache")});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(Count(project.Read("distccd/distccd.log"), "COMPILE_OK"), compiled);
  std::map<std::string, std::string> local_objects = Objects(project);
  ASSERT_EQ(local_objects.size(), remote_objects.size());
  for (const auto& [path, bytes] : remote_objects) EXPECT_TRUE(local_objects[path] == bytes) << path;
  std::string bundle = "bundles/catalog-1.4.0-base-128m-debug.wsb";
  EXPECT_TRUE(project.Read("remote/" + bundle) == project.Read("local/" + bundle));
  EXPECT_EQ(project.Read("remote/index.json"), project.Read("local/index.json"));
}

}  // namespace
}  // namespace ws::e2e
