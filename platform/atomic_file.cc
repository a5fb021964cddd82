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

const char* FileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

std::string SizeText(uint64_t bytes) {
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Error TooLarge(const std::string& path, ReadLimit limit, const std::string& size) {
  bool vowel = !limit.kind.empty() && std::string_view("aeiou").find(limit.kind[0]) != std::string_view::npos;
  return Error{"cannot read " + path + ": it is " + size + ", and " + (vowel ? "an " : "a ") + std::string(limit.kind) +
               " may be at most " + SizeText(limit.max_bytes) + " (" + std::to_string(limit.max_bytes) + " bytes)"};
}

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
// every unit, so this is on the no-op build's hot path. O_NONBLOCK: opening
// a FIFO for reading would otherwise wait for a writer; regular files
// ignore the flag.
Result<std::string> ReadFile(const std::string& path, ReadLimit limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Error{"cannot read " + path + ": " + ErrnoText()};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string why = ErrnoText();
    ::close(fd);
    return Error{"cannot read " + path + ": " + why};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{"cannot read " + path + ": it is " + FileTypeName(st.st_mode) + ", not a regular file"};
  }
  if (static_cast<uint64_t>(st.st_size) > limit.max_bytes) {
    ::close(fd);
    return TooLarge(path, limit, std::to_string(st.st_size) + " bytes");
  }
  std::string text;
  if (st.st_size > 0) text.resize(static_cast<size_t>(st.st_size));
  size_t used = 0;
  while (true) {
    // A file growing while it is read (or /proc's size-0 files) stays capped too.
    if (used > limit.max_bytes) {
      ::close(fd);
      return TooLarge(path, limit, "more than " + std::to_string(limit.max_bytes) + " bytes");
    }
    if (used == text.size()) {
      size_t grown = std::max<size_t>(4096, text.size() * 2);
      text.resize(std::min<uint64_t>(grown, limit.max_bytes + 1));
    }
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
