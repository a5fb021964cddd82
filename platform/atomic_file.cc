#include "platform/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ws {
namespace {

std::string TempPathFor(const std::string& destination) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path dest(destination);
  std::string name = "." + dest.filename().string() + ".tmp." + std::to_string(getpid()) + "." +
                     std::to_string(counter++);
  return (dest.parent_path() / name).string();
}

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

PendingFile::PendingFile(std::string destination)
    : destination_(std::move(destination)), temp_path_(TempPathFor(destination_)) {}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : destination_(std::move(other.destination_)),
      temp_path_(std::move(other.temp_path_)),
      done_(other.done_) {
  other.done_ = true;
}

PendingFile::~PendingFile() {
  if (!done_) ::unlink(temp_path_.c_str());
}

Status PendingFile::Write(std::string_view bytes, unsigned mode) {
  std::filesystem::path parent = std::filesystem::path(destination_).parent_path();
  if (!parent.empty()) {
    if (Status made = MakeDirectories(parent.string()); !made) return made;
  }
  ::unlink(temp_path_.c_str());  // a leftover would keep its own mode
  int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return Error{"cannot create " + temp_path_ + ": " + ErrnoText()};
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = ErrnoText();
      ::close(fd);
      return Error{"cannot write " + temp_path_ + ": " + why};
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return Error{"cannot write " + temp_path_ + ": " + ErrnoText()};
  return {};
}

Status PendingFile::Commit() {
  if (done_) return Error{"internal: " + destination_ + " committed twice"};
  if (::rename(temp_path_.c_str(), destination_.c_str()) != 0) {
    return Error{"cannot replace " + destination_ + ": " + ErrnoText()};
  }
  done_ = true;
  return {};
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes, unsigned mode) {
  PendingFile file(path);
  if (Status written = file.Write(bytes, mode); !written) return written;
  return file.Commit();
}

// One open, one fstat and (usually) one read: builds hash every header of
// every unit, so this is on the no-op build's hot path.
Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot read " + path + ": " + ErrnoText()};
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) text.resize(static_cast<size_t>(st.st_size));
  size_t used = 0;
  while (true) {
    if (used == text.size()) text.resize(std::max<size_t>(4096, text.size() * 2));
    ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = ErrnoText();
      ::close(fd);
      return Error{"cannot read " + path + ": " + why};
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(used);
  return text;
}

Status MakeDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create directory " + dir + ": " + ec.message()};
  return {};
}

}  // namespace ws
