#include "compiler-driver/object_cache.h"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEntriesHeader = "wasmship-cache-entries 1";
// Entries kept per key: enough for switching back and forth between a few
// header versions (branches) without growing without bound.
constexpr size_t kMaxEntriesPerKey = 8;

bool DepsUnchanged(const std::vector<std::pair<std::string, std::string>>& deps, FileHasher& files) {
  for (const auto& [hash, path] : deps) {
    std::optional<std::string> now = files.Hash(path);
    if (!now || *now != hash) return false;
  }
  return true;
}

}  // namespace

std::string ObjectCache::EntryPath(const std::string& key) const {
  return dir_ + "/v1/entries/" + key.substr(0, 2) + "/" + key;
}

std::string ObjectCache::ObjectPath(const std::string& hash) const {
  return dir_ + "/v1/objects/" + hash.substr(0, 2) + "/" + hash + ".o";
}

std::vector<ObjectCache::Entry> ObjectCache::ReadEntries(const std::string& key) const {
  std::vector<Entry> entries;
  Result<std::string> text = ReadFile(EntryPath(key), kStateFile);
  if (!text) return entries;
  std::istringstream in(*text);
  std::string line;
  if (!std::getline(in, line) || line != kEntriesHeader) return {};
  while (std::getline(in, line)) {
    if (line.rfind("object ", 0) == 0) {
      entries.push_back({line.substr(7), {}});
    } else if (line.rfind("dep ", 0) == 0 && !entries.empty() && line.size() > 37) {
      entries.back().deps.emplace_back(line.substr(4, 32), line.substr(37));
    } else {
      return {};  // damaged: treat as no entries; the next store rewrites it
    }
  }
  return entries;
}

Status ObjectCache::WriteEntries(const std::string& key, const std::vector<Entry>& entries) const {
  std::string text = std::string(kEntriesHeader) + "\n";
  for (const Entry& entry : entries) {
    text += "object " + entry.object_hash + "\n";
    for (const auto& [hash, path] : entry.deps) text += "dep " + hash + " " + path + "\n";
  }
  return WriteFileAtomically(EntryPath(key), text);
}

CacheLookup ObjectCache::Lookup(const std::string& key, FileHasher& files) {
  CacheLookup result;
  for (const Entry& entry : ReadEntries(key)) {
    if (!DepsUnchanged(entry.deps, files)) continue;
    std::string path = ObjectPath(entry.object_hash);
    // Through the file hasher: an object verified before and untouched
    // since (size and mtime) is not read again.
    std::optional<std::string> hash = files.Hash(path, kModuleFile);
    if (hash == entry.object_hash) {
      result.hit = true;
      result.object = {path, entry.object_hash};
      return result;
    }
    // The entry is right but its object is missing or damaged: drop the
    // object so that the rebuild stores a fresh one.
    result.corrupt = hash.has_value();
    ::unlink(path.c_str());
    files.Forget(path);
    return result;
  }
  return result;
}

Result<CachedObject> ObjectCache::Store(const std::string& key, const std::string& built_object,
                                       const std::vector<std::string>& deps, FileHasher& files) {
  Result<std::string> bytes = ReadFile(built_object, kModuleFile);
  if (!bytes) return bytes.error();
  Entry entry{HashBytes(*bytes), {}};
  for (const std::string& dep : deps) {
    std::optional<std::string> hash = files.Hash(dep);
    if (!hash) return Error{"cannot read " + dep + ", a dependency of " + built_object};
    entry.deps.emplace_back(*hash, dep);
  }
  CachedObject object{ObjectPath(entry.object_hash), entry.object_hash};
  const std::string& object_path = object.path;
  if (Status written = WriteFileAtomically(object_path, *bytes); !written) return written.error();
  files.Remember(object_path, object.hash);

  std::vector<Entry> entries = ReadEntries(key);
  std::erase_if(entries, [&](const Entry& e) { return e.deps == entry.deps; });
  entries.insert(entries.begin(), std::move(entry));
  if (entries.size() > kMaxEntriesPerKey) entries.resize(kMaxEntriesPerKey);
  if (Status written = WriteEntries(key, entries); !written) return written.error();
  return object;
}

}  // namespace ws
