#include "platform/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/interrupt.h"

namespace ws {
namespace {

Result<int> OpenLockFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Error{"cannot open lock file " + path + ": " + std::strerror(errno)};
  return fd;
}

}  // namespace

Result<FileLock> FileLock::TryAcquire(const std::string& path) {
  Result<int> fd = OpenLockFile(path);
  if (!fd) return fd.error();
  if (::flock(*fd, LOCK_EX | LOCK_NB) == 0) return FileLock(*fd, true);
  if (errno == EWOULDBLOCK) return FileLock(*fd, false);
  std::string why = std::strerror(errno);
  ::close(*fd);
  return Error{"cannot lock " + path + ": " + why};
}

Result<FileLock> FileLock::Acquire(const std::string& path) {
  Result<int> fd = OpenLockFile(path);
  if (!fd) return fd.error();
  // flock() returns EINTR when our signal handler runs, which lets a waiting
  // build be interrupted like a running one.
  while (::flock(*fd, LOCK_EX) != 0) {
    if (errno != EINTR || InterruptRequested()) {
      std::string why = errno == EINTR ? "interrupted" : std::strerror(errno);
      ::close(*fd);
      return Error{"cannot lock " + path + ": " + why};
    }
  }
  return FileLock(*fd, true);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ws
