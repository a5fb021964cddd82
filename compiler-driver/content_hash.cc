#include "compiler-driver/content_hash.h"

#include <xxhash.h>

#include <cstdint>

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

std::optional<std::string> FileHasher::Hash(const std::string& path) {
  auto it = memo_.find(path);
  if (it != memo_.end()) return it->second;
  Result<std::string> bytes = ReadFile(Real(path));
  std::optional<std::string> hash;
  if (bytes) hash = HashBytes(*bytes);
  memo_.emplace(path, hash);
  return hash;
}

}  // namespace ws
