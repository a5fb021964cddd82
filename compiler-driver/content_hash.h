// 128-bit content hashes (XXH3) for cache keys and integrity checks,
// written as 32 lowercase hex digits.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/atomic_file.h"

namespace ws {

std::string HashBytes(std::string_view bytes);

// Builds a hash from several fields; each field is length-prefixed so that
// ("ab","c") and ("a","bc") differ.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher& Add(std::string_view field);
  std::string Finish();

 private:
  void* state_;
};

// Hashes file contents, each path at most once per build (a header included
// by every TU is read once). With a stat cache file, a file whose size and
// mtime are what they were when it was last hashed is not read again: a
// no-op build stats the headers instead of reading them. An entry is only
// kept for a file last modified well before it was hashed, so an edit in
// the same timestamp tick as the hash cannot hide (git's "racy" rule).
class FileHasher {
 public:
  // Relative paths are read relative to `base_dir` (the project root).
  explicit FileHasher(std::string base_dir = "", std::string stat_cache = "");

  // Files under `dir` are named `token/...` in cache entries, so that
  // entries do not depend on where wasmship's runtime is installed.
  void AddAlias(std::string token, std::string dir) {
    for (const auto& alias : aliases_) {
      if (alias.first == token) return;
    }
    aliases_.emplace_back(std::move(token), std::move(dir));
  }
  std::string Portable(const std::string& path) const;
  std::string Real(const std::string& path) const;
  // The hash, or why the file cannot be read (missing, not a regular file,
  // over `limit`). A path is read with one limit in a build.
  Result<std::string> HashFile(const std::string& path, ReadLimit limit = kSourceFile);
  // nullopt when the file cannot be read.
  std::optional<std::string> Hash(const std::string& path, ReadLimit limit = kSourceFile);
  // Forgets a path whose content changed (the build wrote it).
  void Forget(const std::string& path) { memo_.erase(path); }
  // Records the hash of a file the build itself just wrote from bytes it
  // hashed (a cache object): its stamp needs no racy-window wait, so the
  // next build does not read it again.
  void Remember(const std::string& path, const std::string& hash);
  // Writes the stat cache back (when there is one and it changed), with
  // only the files this build hashed, so it does not grow without end.
  void SaveStatCache();

  // What a file was when it was hashed.
  struct Stamp {
    int64_t size = -1;
    int64_t mtime_ns = 0;
    std::string hash;
  };

 private:
  Result<std::string> HashFromDisk(const std::string& real, ReadLimit limit);

  std::string base_dir_;
  std::string stat_cache_;
  bool stat_cache_changed_ = false;
  std::vector<std::pair<std::string, std::string>> aliases_;
  std::map<std::string, Result<std::string>> memo_;
  std::map<std::string, Stamp> stamps_;  // real path → what it was when hashed
  std::set<std::string> used_;           // stamps this build looked at or made: what is saved
};

}  // namespace ws
