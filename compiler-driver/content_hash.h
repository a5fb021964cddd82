// 128-bit content hashes (XXH3) for cache keys and integrity checks,
// written as 32 lowercase hex digits.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
// by every TU is read once).
class FileHasher {
 public:
  // Relative paths are read relative to `base_dir` (the project root).
  explicit FileHasher(std::string base_dir = "") : base_dir_(std::move(base_dir)) {}

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
  // nullopt when the file cannot be read.
  std::optional<std::string> Hash(const std::string& path);
  // Forgets a path whose content changed (the build wrote it).
  void Forget(const std::string& path) { memo_.erase(path); }

 private:
  std::string base_dir_;
  std::vector<std::pair<std::string, std::string>> aliases_;
  std::map<std::string, std::optional<std::string>> memo_;
};

}  // namespace ws
