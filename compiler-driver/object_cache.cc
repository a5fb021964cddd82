#include "compiler-driver/object_cache.h"

#include "platform/atomic_file.h"

namespace ws {
namespace {

// Results kept per key: enough for switching back and forth between a few
// header versions (branches) without growing without bound.
constexpr size_t kMaxResultsPerKey = 8;
constexpr const char* kOutput = "object";

bool DepsUnchanged(const std::vector<ActionDep>& deps, FileHasher& files) {
  for (const ActionDep& dep : deps) {
    std::optional<std::string> now = files.Hash(dep.path);
    if (!now || *now != dep.hash) return false;
  }
  return true;
}

}  // namespace

CacheLookup ObjectCache::Lookup(StepKind kind, const std::string& key, FileHasher& files, const std::string& what,
                                bool count) {
  CacheLookup result;
  for (const ActionResult& entry : actions_.Results(key)) {
    const ActionOutput* out = entry.Find(kOutput);
    if (out == nullptr || out->hash.empty() || !DepsUnchanged(entry.deps, files)) continue;
    // Present (from the remote when only there); verified below.
    if (!actions_.FetchOutputs(entry, /*verify=*/false, what)) break;
    std::string path = actions_.BlobPath(out->sha256);
    // Through the file hasher: an object verified before and untouched
    // since (size and mtime) is not read again.
    std::optional<std::string> hash = files.Hash(path, kModuleFile);
    if (hash == out->hash) {
      actions_.Touch(entry, key);
      if (count) actions_.CountHit(kind);
      result.hit = true;
      result.object = {path, out->hash};
      return result;
    }
    // The entry is right but its object is damaged: drop the object so
    // that the rebuild stores a fresh one.
    result.corrupt = true;
    actions_.Discard(out->sha256, what);
    files.Forget(path);
    break;
  }
  if (count) actions_.CountMiss(kind);
  return result;
}

Result<CachedObject> ObjectCache::Store(const std::string& key, const std::string& built_object,
                                        const std::vector<std::string>& deps, FileHasher& files) {
  Result<std::string> bytes = ReadFile(built_object, kModuleFile);
  if (!bytes) return bytes.error();
  std::vector<ActionDep> recorded;
  for (const std::string& dep : deps) {
    std::optional<std::string> hash = files.Hash(dep);
    if (!hash) return Error{"cannot read " + dep + ", a dependency of " + built_object};
    recorded.push_back({dep, *hash});
  }
  std::string hash = HashBytes(*bytes);
  Result<ActionResult> stored = actions_.Store(key, {{kOutput, *bytes}}, std::move(recorded), kMaxResultsPerKey, {hash});
  if (!stored) return stored.error();
  CachedObject object{actions_.BlobPath(stored->outputs.front().sha256), hash};
  files.Remember(object.path, object.hash);
  return object;
}

}  // namespace ws
