#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/content_hash.h"
#include "compiler-driver/depfile.h"

namespace ws {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Gives the build directory a name for the cached object: a hard link when
// the cache is on the same file system, a copy otherwise. Objects are never
// modified in place, so sharing the inode is safe.
Status Materialize(const std::string& cached, const std::string& dest) {
  struct stat a {}, b {};
  if (::stat(cached.c_str(), &a) == 0 && ::stat(dest.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
      a.st_dev == b.st_dev) {
    return {};
  }
  PendingFile pending(dest);
  if (::link(cached.c_str(), pending.temp_path().c_str()) == 0) return pending.Commit();
  Result<std::string> bytes = ReadFile(cached);
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

std::string CacheKey(const BuildState& s, const CompileUnit& unit, const std::string& source_hash) {
  Hasher hasher;
  hasher.Add("compile-v1").Add(s.plan.toolchain.compiler_id);
  // command[0] is the compiler's path; its identity is already in the key,
  // so checkouts with clang in different places share entries.
  for (size_t i = 1; i < unit.command.size(); ++i) hasher.Add(Tokenized(s, unit.command[i]));
  return hasher.Add(unit.display).Add(source_hash).Finish();
}

JobAction Prepare(BuildState& s, size_t i) {
  Clock::time_point start = Clock::now();
  const CompileUnit& unit = s.plan.units[i];
  UnitState& state = s.units[i];
  state.report.source = unit.display;
  std::optional<std::string> source_hash = s.files.Hash(unit.source);
  if (!source_hash) {
    s.sink.Error({unit.display, 0, 0, 1}, "cannot read source file");
    return JobAction::Failed();
  }
  state.key = CacheKey(s, unit, *source_hash);
  CacheLookup found = s.cache.Lookup(state.key, s.files);
  std::string object = s.plan.root + "/" + unit.object;
  if (found.hit && Materialize(found.object.path, object)) {
    state.object_hash = found.object.hash;
    state.report.cache = CacheStatus::kHit;
    state.report.ms = MsSince(start);
    return JobAction::Done();
  }
  if (found.corrupt) {
    s.observer.Message("cache entry for " + unit.display + " was damaged; rebuilding it");
    state.report.cache = CacheStatus::kCorrupt;
  }
  if (Status made = MakeDirectories(std::filesystem::path(object).parent_path()); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  std::vector<std::string> argv = s.plan.launcher;
  argv.insert(argv.end(), unit.command.begin(), unit.command.end());
  argv.push_back(s.color ? "-fcolor-diagnostics" : "-fno-color-diagnostics");
  argv.insert(argv.end(), {"-MD", "-MF", unit.object + ".d", "-c", unit.source, "-o", unit.object + ".tmp"});
  return JobAction::Run(std::move(argv), s.plan.root);
}

bool Finish(BuildState& s, size_t i, const ProcessResult& result) {
  const CompileUnit& unit = s.plan.units[i];
  UnitState& state = s.units[i];
  state.report.ms = result.wall_ms;
  std::string object = s.plan.root + "/" + unit.object;
  Result<std::string> depfile = ReadFile(object + ".d");
  Result<std::vector<std::string>> deps =
      depfile ? ParseDepfile(*depfile) : Result<std::vector<std::string>>(depfile.error());
  ::unlink((object + ".d").c_str());
  if (deps) {
    for (std::string& dep : *deps) dep = s.files.Portable(dep);
    Result<CachedObject> stored = s.cache.Store(state.key, object + ".tmp", *deps, s.files);
    if (stored && Materialize(stored->path, object)) {
      ::unlink((object + ".tmp").c_str());
      state.object_hash = stored->hash;
      return true;
    }
    s.observer.Message("warning: could not store " + unit.display + " in the cache (" +
                       (stored ? std::string("link failed") : stored.error().message) + ")");
  }
  // Without a cache entry the object is still good for this build.
  Result<std::string> bytes = ReadFile(object + ".tmp");
  if (!bytes || ::rename((object + ".tmp").c_str(), object.c_str()) != 0) {
    s.sink.Error({unit.display, 0, 0, 1}, "the compiler produced no object file");
    return false;
  }
  state.object_hash = HashBytes(*bytes);
  return true;
}

}  // namespace

Job MakeCompileJob(BuildState& state, size_t unit) {
  Job job;
  job.description = "compile " + state.plan.units[unit].display;
  job.prepare = [&state, unit] { return Prepare(state, unit); };
  job.finish = [&state, unit](const ProcessResult& result) { return Finish(state, unit, result); };
  return job;
}

}  // namespace ws
