#include "action-cache/action_cache.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "action-cache/cache_maintenance.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

constexpr int kEntryVersion = 1;
constexpr ReadLimit kEntryFile{"cache entry", 1ull << 20};
constexpr ReadLimit kBlobFile{"cached output", 1ull << 30};

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

bool IsDigest(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

nlohmann::json ResultToJson(const ActionResult& result) {
  nlohmann::json outputs = nlohmann::json::array();
  for (const ActionOutput& o : result.outputs) {
    nlohmann::json out = {{"name", o.name}, {"sha256", o.sha256}, {"size", o.size}};
    if (!o.hash.empty()) out["hash"] = o.hash;
    outputs.push_back(std::move(out));
  }
  nlohmann::json json = {{"outputs", std::move(outputs)}};
  if (!result.deps.empty()) {
    nlohmann::json deps = nlohmann::json::array();
    for (const ActionDep& d : result.deps) deps.push_back({d.path, d.hash});
    json["deps"] = std::move(deps);
  }
  return json;
}

std::string EntryText(const std::vector<ActionResult>& results) {
  nlohmann::json list = nlohmann::json::array();
  for (const ActionResult& r : results) list.push_back(ResultToJson(r));
  return nlohmann::json{{"wasmship_action", kEntryVersion}, {"results", std::move(list)}}.dump() + "\n";
}

// Makes the file's access time now: eviction goes by access time, so a hit
// keeps its files. The modification time stays, so build directories that
// hard-link cached files do not see them change.
void MarkUsed(const std::string& path) {
  struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  (void)::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

}  // namespace

std::string_view StepKindName(StepKind kind) {
  static constexpr std::string_view kNames[kStepKinds] = {"expand", "pch",      "compile", "link",
                                                         "optimize", "bundle", "aot"};
  return kNames[static_cast<size_t>(kind)];
}

std::string ContentDigest(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(digest, sizeof digest);
}

struct ActionKey::State {
  crypto_hash_sha256_state sha;
};

ActionKey::ActionKey(std::string_view kind) : state_(std::make_unique<State>()) {
  crypto_hash_sha256_init(&state_->sha);
  Add(kind);
}

ActionKey::~ActionKey() = default;

ActionKey& ActionKey::Add(std::string_view field) {
  std::string length = std::to_string(field.size()) + ":";
  crypto_hash_sha256_update(&state_->sha, reinterpret_cast<const unsigned char*>(length.data()), length.size());
  crypto_hash_sha256_update(&state_->sha, reinterpret_cast<const unsigned char*>(field.data()), field.size());
  return *this;
}

std::string ActionKey::Finish() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_->sha, digest);
  return Hex(digest, sizeof digest);
}

const ActionOutput* ActionResult::Find(std::string_view name) const {
  for (const ActionOutput& o : outputs) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

ActionCache::ActionCache(std::string dir, RemoteStore* remote) : dir_(std::move(dir)), remote_(remote) {}

bool ActionCache::writable() const {
  std::lock_guard lock(mutex_);
  return writable_;
}

std::string ActionCache::BlobPath(const std::string& sha256) const {
  return dir_ + "/cas/" + sha256.substr(0, 2) + "/" + sha256;
}

std::string ActionCache::EntryPath(const std::string& key) const {
  return dir_ + "/ac/" + key.substr(0, 2) + "/" + key;
}

void ActionCache::WarnOnce(const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    if (!warned_.insert(message).second) return;
  }
  if (warn_) warn_(message);
}

void ActionCache::WriteFailed(const std::string& what, const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    if (!writable_) return;
    writable_ = false;
  }
  WarnOnce("warning: cannot write " + what + " to the cache in " + dir_ + " (" + why +
           "); this build goes on without caching (see `wasmship cache gc`, or set WASMSHIP_CACHE_DIR)");
}

std::optional<std::vector<ActionResult>> ActionCache::ParseEntry(const std::string& text) const {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || json.value("wasmship_action", 0) != kEntryVersion || !json["results"].is_array()) {
    return std::nullopt;
  }
  std::vector<ActionResult> results;
  for (const nlohmann::json& r : json["results"]) {
    if (!r.is_object() || !r.contains("outputs") || !r["outputs"].is_array()) return std::nullopt;
    ActionResult result;
    for (const nlohmann::json& o : r["outputs"]) {
      if (!o.is_object() || !o["name"].is_string() || !o["sha256"].is_string() || !o["size"].is_number_unsigned()) {
        return std::nullopt;
      }
      ActionOutput out{o["name"], o["sha256"], o["size"], o.value("hash", "")};
      if (out.name.empty() || !IsDigest(out.sha256)) return std::nullopt;
      result.outputs.push_back(std::move(out));
    }
    if (r.contains("deps")) {
      if (!r["deps"].is_array()) return std::nullopt;
      for (const nlohmann::json& d : r["deps"]) {
        if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !d[1].is_string()) return std::nullopt;
        result.deps.push_back({d[0], d[1]});
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::vector<ActionResult> ActionCache::Results(const std::string& key) {
  if (!IsDigest(key)) return {};
  Result<std::string> text = ReadFile(EntryPath(key), kEntryFile);
  if (text) {
    if (std::optional<std::vector<ActionResult>> results = ParseEntry(*text)) return *results;
    ::unlink(EntryPath(key).c_str());
    {
      std::lock_guard lock(mutex_);
      ++counters_.corrupt;
    }
    WarnOnce("warning: a damaged cache entry (" + EntryPath(key) + ") was removed; its step runs again");
  }
  if (remote_ == nullptr) return {};
  std::vector<std::optional<std::string>> got = remote_->Get(RemoteArea::kActionResult, {key});
  if (got.empty() || !got.front()) return {};
  std::optional<std::vector<ActionResult>> results = ParseEntry(*got.front());
  if (!results) {
    WarnOnce("warning: the remote cache returned a damaged entry for an action; ignored it");
    return {};
  }
  if (writable()) {
    if (Status written = WriteFileAtomically(EntryPath(key), *got.front()); !written) {
      WriteFailed("an entry", written.error().message);
    }
  }
  return *results;
}

void ActionCache::Discard(const std::string& sha256, const std::string& what) {
  ::unlink(BlobPath(sha256).c_str());
  {
    std::lock_guard lock(mutex_);
    ++counters_.corrupt;
  }
  WarnOnce("warning: the cached output of " + what + " was damaged (" + BlobPath(sha256) + "); removed it and " +
           "rebuilding");
}

Status ActionCache::WriteBlob(const std::string& sha256, std::string_view bytes) {
  std::string path = BlobPath(sha256);
  struct stat st {};
  // Content-addressed: a blob already there with the same bytes stays (its
  // inode may be linked into build directories). One damaged in place and
  // not looked up yet is replaced.
  if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) == bytes.size()) {
    Result<std::string> existing = ReadFile(path, kBlobFile);
    if (existing && *existing == bytes) return {};
  }
  if (Status written = WriteFileAtomically(path, bytes); !written) return written;
  std::lock_guard lock(mutex_);
  counters_.stored_bytes += bytes.size();
  return {};
}

bool ActionCache::FetchOutputs(const ActionResult& result, bool verify, const std::string& what) {
  std::vector<std::string> missing;
  for (const ActionOutput& o : result.outputs) {
    std::string path = BlobPath(o.sha256);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (std::find(missing.begin(), missing.end(), o.sha256) == missing.end()) missing.push_back(o.sha256);
      continue;
    }
    if (static_cast<uint64_t>(st.st_size) != o.size) {
      Discard(o.sha256, what);
      return false;
    }
    if (!verify) continue;
    Result<std::string> bytes = ReadFile(path, kBlobFile);
    if (!bytes || ContentDigest(*bytes) != o.sha256) {
      Discard(o.sha256, what);
      return false;
    }
  }
  if (missing.empty()) return true;
  if (remote_ == nullptr || !writable()) return false;
  std::vector<std::optional<std::string>> got = remote_->Get(RemoteArea::kContent, missing);
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i >= got.size() || !got[i]) return false;
    if (ContentDigest(*got[i]) != missing[i]) {
      WarnOnce("warning: the remote cache returned wrong content for " + what + "; ignored it");
      return false;
    }
    if (Status written = WriteBlob(missing[i], *got[i]); !written) {
      WriteFailed("content", written.error().message);
      return false;
    }
  }
  return true;
}

std::optional<ActionResult> ActionCache::Lookup(StepKind kind, const std::string& key, const std::string& what) {
  std::vector<ActionResult> results = Results(key);
  if (!results.empty() && FetchOutputs(results.front(), /*verify=*/true, what)) {
    Touch(results.front(), key);
    CountHit(kind);
    return results.front();
  }
  CountMiss(kind);
  return std::nullopt;
}

Result<ActionResult> ActionCache::Store(const std::string& key,
                                        const std::vector<std::pair<std::string, std::string>>& outputs,
                                        std::vector<ActionDep> deps, size_t alternatives,
                                        const std::vector<std::string>& hashes) {
  if (!IsDigest(key)) return Error{"not an action key: " + key};
  ActionResult result;
  result.deps = std::move(deps);
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto& [name, bytes] = outputs[i];
    result.outputs.push_back({name, ContentDigest(bytes), bytes.size(), i < hashes.size() ? hashes[i] : ""});
  }
  if (!writable()) return Error{"the cache is not writable"};
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (Status written = WriteBlob(result.outputs[i].sha256, outputs[i].second); !written) {
      WriteFailed("content", written.error().message);
      return written.error();
    }
  }
  std::vector<ActionResult> results;
  if (alternatives > 1) {
    results = Results(key);
    std::erase_if(results, [&](const ActionResult& r) { return r.deps == result.deps; });
  }
  results.insert(results.begin(), result);
  if (results.size() > std::max<size_t>(alternatives, 1)) results.resize(std::max<size_t>(alternatives, 1));
  std::string text = EntryText(results);
  if (Status written = WriteFileAtomically(EntryPath(key), text); !written) {
    WriteFailed("an entry", written.error().message);
    return written.error();
  }
  if (remote_ != nullptr) {
    for (size_t i = 0; i < outputs.size(); ++i) {
      remote_->Put(RemoteArea::kContent, result.outputs[i].sha256, outputs[i].second);
    }
    remote_->Put(RemoteArea::kActionResult, key, std::move(text));
  }
  return result;
}

void ActionCache::CountHit(StepKind kind) {
  std::lock_guard lock(mutex_);
  ++counters_.hits[static_cast<size_t>(kind)];
}

void ActionCache::CountMiss(StepKind kind) {
  std::lock_guard lock(mutex_);
  ++counters_.misses[static_cast<size_t>(kind)];
}

void ActionCache::Touch(const ActionResult& result, const std::string& key) {
  std::vector<std::string> paths = {EntryPath(key)};
  for (const ActionOutput& o : result.outputs) paths.push_back(BlobPath(o.sha256));
  for (const std::string& path : paths) {
    {
      std::lock_guard lock(mutex_);
      if (!touched_.insert(path).second) continue;
    }
    MarkUsed(path);
  }
}

CacheCounters ActionCache::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void ActionCache::Flush(uint64_t max_bytes) {
  if (remote_ != nullptr) remote_->Flush();
  CacheCounters counters = this->counters();
  if (!writable()) return;
  if (counters.stored_bytes > 0) {
    Result<uint64_t> evicted = EvictToSize(dir_, max_bytes);
    if (evicted) counters.evictions += *evicted;
  }
  if (Status saved = AddCacheStats(dir_, counters); !saved) {
    WarnOnce("warning: cannot save the cache statistics: " + saved.error().message);
  }
  std::lock_guard lock(mutex_);
  counters_ = CacheCounters{};
}

}  // namespace ws
