#include "remote-cache/testing/nginx_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace ws::remote::testing {
namespace fs = std::filesystem;
namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Every path nginx would otherwise take from its compiled-in defaults under
// /var is set here, inside `dir`.
std::string Config(const fs::path& dir, int port, const NginxOptions& options) {
  std::string d = dir.string();
  std::string location = "      root " + d +
                         "/root;\n"
                         "      dav_methods PUT;\n"
                         "      create_full_put_path " +
                         std::string(options.create_full_put_path ? "on" : "off") +
                         ";\n"
                         "      dav_access user:rw;\n"
                         "      client_max_body_size 1g;\n";
  if (options.deny_put) location += "      limit_except GET HEAD { deny all; }\n";
  if (!options.user.empty()) {
    location += "      auth_basic \"wasmship cache\";\n      auth_basic_user_file " + d + "/htpasswd;\n";
  }
  return "daemon off;\n"
         "master_process off;\n"
         "worker_processes 1;\n"
         "pid " +
         d +
         "/nginx.pid;\n"
         "error_log " +
         d +
         "/error.log warn;\n"
         "events { worker_connections 512; }\n"
         "http {\n"
         "  access_log " +
         d +
         "/access.log;\n"
         "  client_body_temp_path " +
         d +
         "/tmp/body;\n"
         "  proxy_temp_path " +
         d +
         "/tmp/proxy;\n"
         "  fastcgi_temp_path " +
         d +
         "/tmp/fastcgi;\n"
         "  uwsgi_temp_path " +
         d +
         "/tmp/uwsgi;\n"
         "  scgi_temp_path " +
         d +
         "/tmp/scgi;\n"
         "  default_type application/octet-stream;\n"
         "  keepalive_requests 100000;\n"
         "  server {\n"
         "    listen 127.0.0.1:" +
         std::to_string(port) +
         ";\n"
         "    location / {\n" +
         location +
         "    }\n"
         "  }\n"
         "}\n";
}

void Stop(pid_t pid) {
  kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

Result<pid_t> Spawn(const std::string& nginx, const fs::path& dir) {
  std::string prefix = dir.string() + "/", conf = (dir / "nginx.conf").string(),
              log = (dir / "error.log").string();
  std::string out = (dir / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // -e: the log nginx writes before it reads the config (else /var/log).
  std::vector<std::string> args = {nginx, "-p", prefix, "-c", conf, "-e", log};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, nginx.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error{"cannot start " + nginx + ": " + strerror(rc)};
  return pid;
}

// Waits until nginx has written its pid file (it has bound its socket by
// then) or has exited; true when it runs.
bool WaitReady(pid_t pid, const fs::path& dir) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::string written = ReadFile(dir / "nginx.pid");
    if (!written.empty() && std::atoi(written.c_str()) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop(pid);
  return false;
}

}  // namespace

std::string FindNginx() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string d;
  while (std::getline(dirs, d, ':')) {
    if (!d.empty() && access((d + "/nginx").c_str(), X_OK) == 0) return d + "/nginx";
  }
  return access("/usr/sbin/nginx", X_OK) == 0 ? "/usr/sbin/nginx" : "";
}

Result<std::unique_ptr<NginxServer>> NginxServer::Start(const NginxOptions& options) {
  std::string nginx = FindNginx();
  if (nginx.empty()) return Error{"nginx is not installed (Debian package nginx; scripts/setup installs it)"};
  std::string pattern = (fs::temp_directory_path() / "wasmship-nginx-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Error{"cannot create a temporary directory for nginx"};
  fs::path dir = pattern;
  fs::create_directories(dir / "root");
  fs::create_directories(dir / "tmp");
  if (!options.user.empty()) {
    std::ofstream(dir / "htpasswd") << options.user << ":{PLAIN}" << options.password << "\n";
  }
  std::string log;
  for (int attempt = 0; attempt < 5; ++attempt) {
    int port = FreeLoopbackPort();
    std::ofstream(dir / "nginx.conf") << Config(dir, port, options);
    Result<pid_t> pid = Spawn(nginx, dir);
    if (!pid) {
      fs::remove_all(dir);
      return pid.error();
    }
    if (WaitReady(*pid, dir)) return std::unique_ptr<NginxServer>(new NginxServer(dir, *pid, port));
    log = ReadFile(dir / "error.log") + ReadFile(dir / "stderr.log");
    if (log.find("Address already in use") == std::string::npos) break;  // another port will not help
  }
  fs::remove_all(dir);
  return Error{"nginx did not start; its log:\n" + log};
}

NginxServer::NginxServer(fs::path dir, pid_t pid, int port)
    : dir_(std::move(dir)), root_(dir_ / "root"), pid_(pid), port_(port) {}

NginxServer::~NginxServer() {
  Stop(pid_);
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string NginxServer::Url(const std::string& prefix) const {
  return "http://127.0.0.1:" + std::to_string(port_) + prefix;
}

std::vector<std::string> NginxServer::Files() const {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root_).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string NginxServer::AccessLog() const { return ReadFile(dir_ / "access.log"); }

}  // namespace ws::remote::testing
