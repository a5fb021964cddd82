// A real nginx with its WebDAV module serving a temporary directory on a
// loopback port: the remote cache's tests (and bench/remote-cache) run
// against it. Everything nginx writes (config, pid, logs, temp files, the
// document root) is in a fresh mkdtemp directory; nginx runs in the
// foreground as one process (`daemon off; master_process off;`), and the
// destructor stops it by pid and removes the directory.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws::remote::testing {

struct NginxOptions {
  bool deny_put = false;             // PUT answered 403 (a read-only server)
  bool create_full_put_path = true;  // off: PUT into a missing directory is 409
  std::string user;                  // non-empty: basic authentication with this user
  std::string password;
  bool tls = false;  // HTTPS with a fresh self-signed certificate for 127.0.0.1 (needs openssl)
  std::string serve;  // non-empty: serve this existing directory instead of a fresh, empty root
};

class NginxServer {
 public:
  // Errors name what failed (no nginx binary, nginx exited: its error log).
  static Result<std::unique_ptr<NginxServer>> Start(const NginxOptions& options = {});
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& prefix = "") const;  // http[s]://127.0.0.1:PORT<prefix>
  std::string CertificateFile() const;                    // with tls: the certificate, its own CA
  const std::filesystem::path& root() const { return root_; }
  // Regular files under the document root, relative to it, sorted.
  std::vector<std::string> Files() const;
  std::string AccessLog() const;

 private:
  NginxServer(std::filesystem::path dir, std::filesystem::path root, pid_t pid, int port, bool tls);

  std::filesystem::path dir_;
  std::filesystem::path root_;
  pid_t pid_;
  int port_;
  bool tls_;
};

// The nginx binary (PATH, then /usr/sbin/nginx), or "" when there is none.
std::string FindNginx();

}  // namespace ws::remote::testing
