#include "compiler-driver/cached_output.h"

#include <sys/stat.h>
#include <unistd.h>

#include "compiler-driver/content_hash.h"
#include "compiler-driver/depfile.h"

namespace ws {
namespace {

// Gives the build directory a name for the cached file: a hard link when
// the cache is on the same file system, a copy otherwise. Cached files are
// never modified in place, so sharing the inode is safe.
Status Materialize(const std::string& cached, const std::string& dest) {
  struct stat a {}, b {};
  if (::stat(cached.c_str(), &a) == 0 && ::stat(dest.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
      a.st_dev == b.st_dev) {
    return {};
  }
  PendingFile pending(dest);
  if (::link(cached.c_str(), pending.temp_path().c_str()) == 0) return pending.Commit();
  Result<std::string> bytes = ReadFile(cached, kModuleFile);
  if (!bytes) return bytes.error();
  return WriteFileAtomically(dest, *bytes);
}

// A flag with the runtime's install path replaced by its token (-I<dir>/include).
std::string Tokenized(const BuildState& s, const std::string& flag) {
  const std::string& dir = s.plan.toolchain.runtime_dir;
  size_t at = flag.find(dir);
  if (dir.empty() || at == std::string::npos) return flag;
  return flag.substr(0, at) + BuildState::kRuntimeToken + flag.substr(at + dir.size());
}

constexpr const char* kProjectToken = "@WASMSHIP_PROJECT@";
constexpr ReadLimit kStepOutput{"build output", 1ull << 30};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

std::string PortableText(const BuildState& s, std::string text) { return Replace(std::move(text), s.plan.root, kProjectToken); }

std::string LocalText(const BuildState& s, std::string text) { return Replace(std::move(text), kProjectToken, s.plan.root); }

bool RestoreStep(BuildState& s, StepKind kind, const std::string& key, const std::vector<StepOutput>& outputs,
                 const std::string& what) {
  std::optional<ActionResult> found = s.actions.Lookup(kind, key, what);
  if (!found) return false;
  for (const StepOutput& out : outputs) {
    const ActionOutput* cached = found->Find(out.name);
    Result<std::string> bytes = cached ? ReadFile(s.actions.BlobPath(cached->sha256), kStepOutput)
                                       : Result<std::string>(Error{"no output " + out.name});
    if (!bytes) return false;
    if (out.text) *bytes = LocalText(s, std::move(*bytes));
    if (Status written = WriteFileAtomically(out.path, *bytes); !written) return false;
  }
  return true;
}

void KeepStep(BuildState& s, const std::string& key, const std::vector<StepOutput>& outputs) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const StepOutput& out : outputs) {
    Result<std::string> bytes = ReadFile(out.path, kStepOutput);
    if (!bytes) return;
    files.emplace_back(out.name, out.text ? PortableText(s, std::move(*bytes)) : std::move(*bytes));
  }
  (void)s.actions.Store(key, files);  // an unwritable cache warned already
}

std::string CommandKey(const BuildState& s, const std::string& kind, const std::vector<std::string>& command,
                       const std::vector<std::string>& fields) {
  ActionKey hasher(kind);
  hasher.Add(s.plan.toolchain.compiler_id);
  // command[0] is the tool's path; checkouts with it elsewhere share entries.
  for (size_t i = 1; i < command.size(); ++i) hasher.Add(Tokenized(s, command[i]));
  for (const std::string& field : fields) hasher.Add(Tokenized(s, field));
  return hasher.Finish();
}

std::optional<std::string> Restore(BuildState& s, const CachedOutput& out, CacheStatus& status) {
  CacheLookup found = s.cache.Lookup(out.kind, out.key, s.files, out.display, out.counted);
  if (found.hit && Materialize(found.object.path, out.path)) {
    status = CacheStatus::kHit;
    return found.object.hash;
  }
  if (found.corrupt) status = CacheStatus::kCorrupt;  // the action cache reported it
  return std::nullopt;
}

std::optional<std::string> Keep(BuildState& s, const CachedOutput& out) {
  std::string produced = out.path + ".tmp", depfile_path = out.path + ".d";
  Result<std::string> depfile = ReadFile(depfile_path, kSourceFile);
  Result<std::vector<std::string>> deps =
      depfile ? ParseDepfile(*depfile) : Result<std::vector<std::string>>(depfile.error());
  ::unlink(depfile_path.c_str());
  if (deps) {
    for (std::string& dep : *deps) dep = s.files.Portable(dep);
    if (!out.keyed_input.empty()) std::erase(*deps, s.files.Portable(out.keyed_input));
    // A dependency wasmship cannot hash (`#include "/dev/zero"`, a FIFO, a
    // huge file) would make every later build read it again: an error now.
    for (const std::string& dep : *deps) {
      if (Result<std::string> hash = s.files.HashFile(dep); !hash) {
        ::unlink(produced.c_str());
        s.sink.Error({out.display, 0, 0, 1}, hash.error().message,
                     {"every file a source includes must be a regular file of at most " +
                      std::to_string(kSourceFile.max_bytes >> 20) + " MiB"});
        return std::nullopt;
      }
    }
    Result<CachedObject> stored = s.cache.Store(out.key, produced, *deps, s.files);
    if (stored && Materialize(stored->path, out.path)) {
      ::unlink(produced.c_str());
      return stored->hash;
    }
    // An unwritable cache said so once already.
    if (s.actions.writable()) {
      s.observer.Message("warning: could not store " + out.display + " in the cache (" +
                         (stored ? std::string("link failed") : stored.error().message) + ")");
    }
  }
  // Without a cache entry the output is still good for this build.
  Result<std::string> bytes = ReadFile(produced, kModuleFile);
  if (!bytes || ::rename(produced.c_str(), out.path.c_str()) != 0) {
    s.sink.Error({out.display, 0, 0, 1}, "the tool reported success but wrote no output");
    return std::nullopt;
  }
  return HashBytes(*bytes);
}

}  // namespace ws
