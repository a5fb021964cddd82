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
// /var is set here, inside @DIR@.
constexpr const char* kConfig = R"(daemon off;
master_process off;
worker_processes 1;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log warn;
events { worker_connections 512; }
http {
  access_log @DIR@/access.log;
  client_body_temp_path @DIR@/tmp/body;
  proxy_temp_path @DIR@/tmp/proxy;
  fastcgi_temp_path @DIR@/tmp/fastcgi;
  uwsgi_temp_path @DIR@/tmp/uwsgi;
  scgi_temp_path @DIR@/tmp/scgi;
  default_type application/octet-stream;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:@PORT@@SSL@;
@TLS@    location / {
      root @ROOT@;
      dav_methods PUT;
      create_full_put_path @FULL_PATH@;
      dav_access user:rw;
      client_max_body_size 1g;
@MORE@    }
  }
}
)";

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string Config(const fs::path& dir, int port, const NginxOptions& options) {
  std::string more;
  if (options.deny_put) more += "      limit_except GET HEAD { deny all; }\n";
  if (!options.user.empty()) {
    more += "      auth_basic \"wasmship cache\";\n      auth_basic_user_file @DIR@/htpasswd;\n";
  }
  std::string text = kConfig;
  ReplaceAll(
      text, "@TLS@",
      options.tls ? "    ssl_certificate @DIR@/cert.pem;\n    ssl_certificate_key @DIR@/key.pem;\n" : "");
  ReplaceAll(text, "@MORE@", more);
  ReplaceAll(text, "@SSL@", options.tls ? " ssl" : "");
  ReplaceAll(text, "@FULL_PATH@", options.create_full_put_path ? "on" : "off");
  ReplaceAll(text, "@PORT@", std::to_string(port));
  ReplaceAll(text, "@ROOT@", options.serve.empty() ? (dir / "root").string() : options.serve);
  ReplaceAll(text, "@DIR@", dir.string());
  return text;
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

// Starts `args` with stdout and stderr appended to dir/stderr.log.
Result<pid_t> Spawn(std::vector<std::string> args, const fs::path& dir) {
  std::string out = (dir / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error{"cannot start " + args[0] + ": " + strerror(rc)};
  return pid;
}

Result<pid_t> SpawnNginx(const std::string& nginx, const fs::path& dir) {
  // -e: the log nginx writes before it reads the config (else /var/log).
  return Spawn({nginx, "-p", dir.string() + "/", "-c", (dir / "nginx.conf").string(), "-e",
                (dir / "error.log").string()},
               dir);
}

// A self-signed certificate for 127.0.0.1 (its own CA) in dir/{cert,key}.pem.
Status MakeCertificate(const fs::path& dir) {
  Result<pid_t> pid =
      Spawn({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
             (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()},
            dir);
  if (!pid) return pid.error();
  int status = 0;
  waitpid(*pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error{"openssl could not make a certificate (Debian package openssl):\n" +
                 ReadFile(dir / "stderr.log")};
  }
  return {};
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
  if (options.tls) {
    if (Status made = MakeCertificate(dir); !made) {
      fs::remove_all(dir);
      return made.error();
    }
  }
  std::string log;
  for (int attempt = 0; attempt < 5; ++attempt) {
    int port = FreeLoopbackPort();
    std::ofstream(dir / "nginx.conf") << Config(dir, port, options);
    Result<pid_t> pid = SpawnNginx(nginx, dir);
    if (!pid) {
      fs::remove_all(dir);
      return pid.error();
    }
    if (WaitReady(*pid, dir))
      return std::unique_ptr<NginxServer>(
          new NginxServer(dir, options.serve.empty() ? dir / "root" : fs::path(options.serve), *pid, port, options.tls));
    log = ReadFile(dir / "error.log") + ReadFile(dir / "stderr.log");
    if (log.find("Address already in use") == std::string::npos) break;  // another port will not help
  }
  fs::remove_all(dir);
  return Error{"nginx did not start; its log:\n" + log};
}

NginxServer::NginxServer(fs::path dir, fs::path root, pid_t pid, int port, bool tls)
    : dir_(std::move(dir)), root_(std::move(root)), pid_(pid), port_(port), tls_(tls) {}

NginxServer::~NginxServer() {
  Stop(pid_);
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string NginxServer::Url(const std::string& prefix) const {
  return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + prefix;
}

std::string NginxServer::CertificateFile() const { return (dir_ / "cert.pem").string(); }

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
