// Expanding a source's compose blocks runs `wasmship-expander` in a
// subprocess, so expansions run in parallel with compiles and a crash in
// libTooling cannot take the build down. Expansions are cached like objects:
// keyed by the source and its flags, validated by the headers the parse read.
// A unit with a literal table gets two outputs, cached side by side.
#include <filesystem>

#include "platform/atomic_file.h"

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "macro-expander/compose_blocks.h"

namespace ws {
namespace {

CachedOutput OutputOf(const BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  return {s.units[i].expand_key, s.plan.root + "/" + unit.source, unit.display};
}

CachedOutput LiteralsOf(const BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  return {s.units[i].literals_key, s.plan.root + "/" + unit.literals, unit.display};
}

// Both outputs from the cache, or neither is enough.
bool RestoreAll(BuildState& s, size_t i) {
  CacheStatus status = CacheStatus::kMiss;
  if (!Restore(s, OutputOf(s, i), status)) return false;
  return s.plan.units[i].literals.empty() || Restore(s, LiteralsOf(s, i), status);
}

// Both outputs are validated by the files the one parse read.
bool KeepAll(BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  if (!unit.literals.empty()) {
    Result<std::string> depfile = ReadFile(s.plan.root + "/" + unit.source + ".d", kSourceFile);
    if (depfile) (void)WriteFileAtomically(s.plan.root + "/" + unit.literals + ".d", *depfile);
    if (!Keep(s, LiteralsOf(s, i))) return false;
  }
  return Keep(s, OutputOf(s, i)).has_value();
}

JobAction Prepare(BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  Result<std::string> source = s.files.HashFile(unit.original);
  if (!source) {
    s.sink.Error({unit.display, 0, 0, 1}, source.error().message);
    return JobAction::Failed();
  }
  std::vector<std::string> command = {"expander"};
  command.insert(command.end(), unit.expand_args.begin(), unit.expand_args.end());
  std::vector<std::string> fields = {kExpanderVersion, s.expander_id, unit.display, *source};
  s.units[i].expand_key = CommandKey(s, "expand-v1", command, fields);
  if (!unit.literals.empty()) s.units[i].literals_key = CommandKey(s, "expand-literals-v1", command, fields);
  CachedOutput out = OutputOf(s, i);
  if (RestoreAll(s, i)) return JobAction::Done();
  if (Status made = MakeDirectories(std::filesystem::path(out.path).parent_path()); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  std::vector<std::string> argv = {s.plan.expander, "--color", s.color ? "always" : "never",
                                   "--display", unit.display, "--output", unit.source + ".tmp",
                                   "--depfile", unit.source + ".d"};
  if (!unit.literals.empty()) argv.insert(argv.end(), {"--literals", unit.literals + ".tmp"});
  argv.insert(argv.end(), {unit.original, "--"});
  argv.insert(argv.end(), unit.expand_args.begin(), unit.expand_args.end());
  return JobAction::Run(std::move(argv), s.plan.root);
}

}  // namespace

Job MakeExpandJob(BuildState& state, size_t unit, std::vector<size_t> deps) {
  Job job;
  job.description = "expand " + state.plan.units[unit].display;
  job.deps = std::move(deps);
  job.prepare = [&state, unit] { return Prepare(state, unit); };
  job.finish = [&state, unit](const ProcessResult&) { return KeepAll(state, unit); };
  return job;
}

}  // namespace ws
