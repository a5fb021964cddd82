#include "action-cache/cache_maintenance.h"

#include <sys/stat.h>
#include <cerrno>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "platform/atomic_file.h"
#include "platform/file_lock.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

struct CachedFile {
  int64_t used_ns = 0;  // access time: a hit marks it
  uint64_t size = 0;
  std::string path;
  bool entry = false;
};

std::vector<CachedFile> ListFiles(const std::string& dir) {
  std::vector<CachedFile> files;
  for (const char* area : {"ac", "cas"}) {
    std::error_code ec;
    fs::recursive_directory_iterator it(dir + "/" + area, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      struct stat st {};
      std::string path = it->path().string();
      if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      // Temporary files of a store under way are not the cache's yet.
      if (it->path().filename().string().front() == '.') continue;
      int64_t used = static_cast<int64_t>(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec;
      files.push_back({used, static_cast<uint64_t>(st.st_size), std::move(path), area[0] == 'a'});
    }
  }
  return files;
}

std::string StatsPath(const std::string& dir) { return dir + "/stats.json"; }

}  // namespace

CacheUsage MeasureCache(const std::string& dir) {
  CacheUsage usage;
  for (const CachedFile& f : ListFiles(dir)) {
    usage.bytes += f.size;
    ++(f.entry ? usage.entries : usage.blobs);
  }
  return usage;
}

CacheCounters ReadCacheStats(const std::string& dir) {
  CacheCounters c;
  Result<std::string> text = ReadFile(StatsPath(dir), kStateFile);
  nlohmann::json json = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
  if (!json.is_object()) return c;
  for (size_t i = 0; i < kStepKinds; ++i) {
    std::string name(StepKindName(static_cast<StepKind>(i)));
    const nlohmann::json& step = json["steps"][name];
    if (!step.is_object()) continue;
    c.hits[i] = step.value("hits", uint64_t{0});
    c.misses[i] = step.value("misses", uint64_t{0});
  }
  c.stored_bytes = json.value("stored_bytes", uint64_t{0});
  c.corrupt = json.value("corrupt", uint64_t{0});
  c.evictions = json.value("evictions", uint64_t{0});
  return c;
}

Status AddCacheStats(const std::string& dir, const CacheCounters& add) {
  if (Status made = MakeDirectories(dir); !made) return made;
  Result<FileLock> lock = FileLock::Acquire(dir + "/stats.lock");
  if (!lock) return lock.error();
  CacheCounters c = ReadCacheStats(dir);
  nlohmann::json steps = nlohmann::json::object();
  for (size_t i = 0; i < kStepKinds; ++i) {
    steps[std::string(StepKindName(static_cast<StepKind>(i)))] = {{"hits", c.hits[i] + add.hits[i]},
                                                                 {"misses", c.misses[i] + add.misses[i]}};
  }
  nlohmann::json json = {{"steps", std::move(steps)},
                         {"stored_bytes", c.stored_bytes + add.stored_bytes},
                         {"corrupt", c.corrupt + add.corrupt},
                         {"evictions", c.evictions + add.evictions}};
  return WriteFileAtomically(StatsPath(dir), json.dump(1) + "\n");
}

Result<uint64_t> EvictToSize(const std::string& dir, uint64_t max_bytes) {
  std::vector<CachedFile> files = ListFiles(dir);
  uint64_t total = 0;
  for (const CachedFile& f : files) total += f.size;
  if (total <= max_bytes) return uint64_t{0};
  // Oldest use first; of files used at once, entries before their content.
  std::sort(files.begin(), files.end(), [](const CachedFile& a, const CachedFile& b) {
    if (a.used_ns != b.used_ns) return a.used_ns < b.used_ns;
    return a.entry > b.entry;
  });
  uint64_t removed = 0;
  for (const CachedFile& f : files) {
    if (total <= max_bytes) break;
    // Gone already (another build evicting at once) counts as removed.
    if (::unlink(f.path.c_str()) == 0 || errno == ENOENT) {
      total -= f.size;
      ++removed;
    }
  }
  return removed;
}

Status ClearCache(const std::string& dir) {
  std::error_code ec;
  // v1/ and aot/ are the layouts before the action cache and the AOT engine's loadable libraries.
  for (const char* name : {"ac", "cas", "aot", "v1", "stats.json"}) {
    fs::remove_all(fs::path(dir) / name, ec);
    if (ec) return Error{"cannot remove " + (fs::path(dir) / name).string() + ": " + ec.message()};
  }
  return {};
}

}  // namespace ws
