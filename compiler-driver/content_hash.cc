#include "compiler-driver/content_hash.h"

#include <sys/stat.h>
#include <xxhash.h>

#include <chrono>
#include <cstdint>
#include <sstream>

#include "platform/atomic_file.h"

namespace ws {
namespace {

std::string Hex(XXH128_hash_t hash) {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, hash);
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : canonical.digest) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 15];
  }
  return out;
}

XXH3_state_t* State(void* p) { return static_cast<XXH3_state_t*>(p); }

// A file modified less than this before it was hashed may change again
// within the same mtime tick; its stamp is not kept.
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One line per file: "<size> <mtime_ns> <hash> <path>".
std::map<std::string, FileHasher::Stamp> ReadStamps(const std::string& path) {
  std::map<std::string, FileHasher::Stamp> stamps;
  Result<std::string> text = ReadFile(path, kStateFile);
  if (!text) return stamps;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    FileHasher::Stamp stamp;
    std::string file;
    if (!(fields >> stamp.size >> stamp.mtime_ns >> stamp.hash) || stamp.hash.size() != 32) continue;
    std::getline(fields >> std::ws, file);
    if (!file.empty()) stamps[file] = stamp;
  }
  return stamps;
}

}  // namespace

std::string HashBytes(std::string_view bytes) {
  return Hex(XXH3_128bits(bytes.data(), bytes.size()));
}

Hasher::Hasher() : state_(XXH3_createState()) { XXH3_128bits_reset(State(state_)); }

Hasher::~Hasher() { XXH3_freeState(State(state_)); }

Hasher& Hasher::Add(std::string_view field) {
  uint64_t size = field.size();
  XXH3_128bits_update(State(state_), &size, sizeof size);
  XXH3_128bits_update(State(state_), field.data(), field.size());
  return *this;
}

std::string Hasher::Finish() { return Hex(XXH3_128bits_digest(State(state_))); }

FileHasher::FileHasher(std::string base_dir, std::string stat_cache)
    : base_dir_(std::move(base_dir)), stat_cache_(std::move(stat_cache)) {
  if (!stat_cache_.empty()) stamps_ = ReadStamps(stat_cache_);
}

std::string FileHasher::Portable(const std::string& path) const {
  for (const auto& [token, dir] : aliases_) {
    if (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/') {
      return token + path.substr(dir.size());
    }
  }
  return path;
}

std::string FileHasher::Real(const std::string& path) const {
  for (const auto& [token, dir] : aliases_) {
    if (path.size() > token.size() && path.compare(0, token.size(), token) == 0 && path[token.size()] == '/') {
      return dir + path.substr(token.size());
    }
  }
  bool relative = !path.empty() && path[0] != '/' && !base_dir_.empty();
  return relative ? base_dir_ + "/" + path : path;
}

Result<std::string> FileHasher::HashFile(const std::string& path, ReadLimit limit) {
  auto it = memo_.find(path);
  if (it != memo_.end()) return it->second;
  Result<std::string> hash = HashFromDisk(Real(path), limit);
  memo_.emplace(path, hash);
  return hash;
}

std::optional<std::string> FileHasher::Hash(const std::string& path, ReadLimit limit) {
  Result<std::string> hash = HashFile(path, limit);
  if (!hash) return std::nullopt;
  return *hash;
}

Result<std::string> FileHasher::HashFromDisk(const std::string& real, ReadLimit limit) {
  struct stat st {};
  bool stated = !stat_cache_.empty() && ::stat(real.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  int64_t mtime_ns = stated ? int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec : 0;
  if (stated) {
    used_.insert(real);
    auto stamp = stamps_.find(real);
    if (stamp != stamps_.end() && stamp->second.size == st.st_size && stamp->second.mtime_ns == mtime_ns) {
      return stamp->second.hash;
    }
  }
  Result<std::string> bytes = ReadFile(real, limit);
  if (!bytes) return bytes.error();
  std::string hash = HashBytes(*bytes);
  if (stated && real.find('\n') == std::string::npos) {
    if (mtime_ns < NowNs() - kRacyWindowNs) {
      stamps_[real] = Stamp{st.st_size, mtime_ns, hash};
    } else {
      stamps_.erase(real);
    }
    stat_cache_changed_ = true;
  }
  return hash;
}

void FileHasher::Remember(const std::string& path, const std::string& hash) {
  memo_.insert_or_assign(path, Result<std::string>(hash));
  std::string real = Real(path);
  struct stat st {};
  if (stat_cache_.empty() || ::stat(real.c_str(), &st) != 0 || real.find('\n') != std::string::npos) return;
  stamps_[real] = Stamp{st.st_size, int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec, hash};
  used_.insert(real);
  stat_cache_changed_ = true;
}

void FileHasher::SaveStatCache() {
  if (stat_cache_.empty() || (!stat_cache_changed_ && used_.size() == stamps_.size())) return;
  std::string text;
  for (const auto& [file, stamp] : stamps_) {
    if (!used_.contains(file)) continue;
    text += std::to_string(stamp.size) + " " + std::to_string(stamp.mtime_ns) + " " + stamp.hash + " " + file + "\n";
  }
  // Best effort: without the file the next build reads the headers again.
  (void)WriteFileAtomically(stat_cache_, text);
  stat_cache_changed_ = false;
}

}  // namespace ws
