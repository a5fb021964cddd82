// An exclusive advisory lock on a file (flock), held for the object's
// lifetime. Two builds of one project serialize on it; the kernel releases
// it if the process dies, so a crashed build never leaves a stale lock.
#pragma once

#include <string>

#include "diagnostics/result.h"

namespace ws {

class FileLock {
 public:
  // Tries once without blocking; `held()` tells whether it succeeded.
  static Result<FileLock> TryAcquire(const std::string& path);
  // Blocks until the lock is ours (or an interrupt arrives: an error).
  static Result<FileLock> Acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_), held_(other.held_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

  bool held() const { return held_; }

 private:
  FileLock(int fd, bool held) : fd_(fd), held_(held) {}
  int fd_;
  bool held_;
};

}  // namespace ws
