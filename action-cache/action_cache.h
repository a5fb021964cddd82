// The local action cache, in bazel-remote's model (docs/cache.md):
//   <dir>/ac/<2 hex>/<key>      an action's result: JSON listing its outputs
//                               by name, sha256 and size, and for steps
//                               validated by a depfile the files they read
//   <dir>/cas/<2 hex>/<sha256>  content, named by its own sha256
// An action's key is the sha256 of everything that decides its outputs
// (tool identity, flags, input digests), never a path of the project, so a
// clone elsewhere hits. Every file is written to a temporary name and
// renamed into place: two builds storing the same action at once both
// succeed and leave one whole copy. Content is checked against its digest
// when read; a damaged entry or blob is deleted, reported and rebuilt.
//
// With a RemoteStore (action-cache/remote_store.h), a local miss asks the
// remote for the entry and then the missing blobs (one batch), verifies
// them and keeps them locally; a local store is also uploaded. Flush() at
// the end of the build waits for uploads, saves the statistics and trims
// the cache to its size cap, least recently used first.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "action-cache/remote_store.h"
#include "diagnostics/result.h"

namespace ws {

enum class StepKind { kExpand, kPch, kCompile, kLink, kOptimize, kBundle, kAot };
inline constexpr size_t kStepKinds = 7;
std::string_view StepKindName(StepKind kind);

// Lowercase sha256 hex of `bytes`.
std::string ContentDigest(std::string_view bytes);

// An action key: the sha256 of length-prefixed fields, so ("ab","c") and
// ("a","bc") differ.
class ActionKey {
 public:
  explicit ActionKey(std::string_view kind);
  ~ActionKey();
  ActionKey(const ActionKey&) = delete;
  ActionKey& operator=(const ActionKey&) = delete;
  ActionKey& Add(std::string_view field);
  std::string Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct ActionOutput {
  std::string name;
  std::string sha256;
  uint64_t size = 0;
  std::string hash;  // the build's own content hash (XXH3), when the step records one
};

struct ActionDep {
  std::string path;  // portable: relative to the project, or a token for the runtime
  std::string hash;  // the build's content hash of it
  bool operator==(const ActionDep&) const = default;
};

struct ActionResult {
  std::vector<ActionOutput> outputs;
  std::vector<ActionDep> deps;
  const ActionOutput* Find(std::string_view name) const;
};

// Counters of one build, added to <dir>/stats.json by Flush().
struct CacheCounters {
  std::array<uint64_t, kStepKinds> hits{};
  std::array<uint64_t, kStepKinds> misses{};
  uint64_t stored_bytes = 0;  // blobs written
  uint64_t corrupt = 0;       // damaged entries or blobs found (and deleted)
  uint64_t evictions = 0;     // files removed to stay under the cap
};

class ActionCache {
 public:
  using Warn = std::function<void(const std::string&)>;

  // `remote` may be null; it must outlive the cache.
  explicit ActionCache(std::string dir, RemoteStore* remote = nullptr);

  const std::string& dir() const { return dir_; }
  // Where warnings go (once each): a damaged entry, an unwritable cache.
  void SetWarn(Warn warn) { warn_ = std::move(warn); }
  // False after a write failed (read-only or full disk): the build goes on
  // without storing anything.
  bool writable() const;

  std::string BlobPath(const std::string& sha256) const;
  std::string EntryPath(const std::string& key) const;

  // The results stored under `key`, newest first: local, else the
  // remote's. Counts nothing.
  std::vector<ActionResult> Results(const std::string& key);
  // Every output of `result` present in cas/: fetched from the remote when
  // missing here. With `verify`, local blobs are re-hashed (sha256); the
  // caller may verify them its own way (ActionOutput::hash) instead. A
  // damaged blob is deleted and reported (`what` names the step).
  bool FetchOutputs(const ActionResult& result, bool verify, const std::string& what);

  // A plain action: the result under `key` with every output present and
  // verified, or nullopt. Counts a hit or a miss for `kind`.
  std::optional<ActionResult> Lookup(StepKind kind, const std::string& key, const std::string& what);

  // Stores `outputs` (name, bytes) as blobs and their result under `key`;
  // then uploads both. Steps validated by a depfile keep up to
  // `alternatives` results per key (one per set of dependency contents),
  // the new one first.
  Result<ActionResult> Store(const std::string& key, const std::vector<std::pair<std::string, std::string>>& outputs,
                             std::vector<ActionDep> deps = {}, size_t alternatives = 1,
                             const std::vector<std::string>& hashes = {});

  void CountHit(StepKind kind);
  void CountMiss(StepKind kind);
  // Marks an entry and its blobs used now (least recently used goes first).
  void Touch(const ActionResult& result, const std::string& key);
  // Deletes a blob found damaged and reports it once.
  void Discard(const std::string& sha256, const std::string& what);

  CacheCounters counters() const;
  // The end of a build: uploads finish, counters are saved, and the cache
  // is trimmed to `max_bytes` when over it. Never fails the build.
  void Flush(uint64_t max_bytes);

 private:
  void WarnOnce(const std::string& message);
  void WriteFailed(const std::string& what, const std::string& why);
  std::optional<std::vector<ActionResult>> ParseEntry(const std::string& text) const;
  Status WriteBlob(const std::string& sha256, std::string_view bytes);

  std::string dir_;
  RemoteStore* remote_;
  Warn warn_;
  mutable std::mutex mutex_;
  bool writable_ = true;
  std::set<std::string> warned_;
  std::set<std::string> touched_;
  CacheCounters counters_;
};

}  // namespace ws
