// Expanding a source's compose blocks runs `wasmship-expander` in a
// subprocess, so expansions run in parallel with compiles and a crash in
// libTooling cannot take the build down. Expansions are cached like objects:
// keyed by the source and its flags, validated by the headers the parse read.
// A unit with a literal table gets two outputs, cached side by side, and a
// shortcut: an edit that changed only literal values gets its new table from
// PatchLiterals, without running the expander (no clang: milliseconds).
#include <unistd.h>

#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "macro-expander/compose_blocks.h"
#include "macro-expander/literal_table.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

// The key covers the source's content, so the entries record only the
// headers: the anchor's entry still vouches for them after a literal edit.
CachedOutput OutputOf(const BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  return {StepKind::kExpand, s.units[i].expand_key, s.plan.root + "/" + unit.source, unit.display, unit.original};
}

CachedOutput LiteralsOf(const BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  return {StepKind::kExpand, s.units[i].literals_key, s.plan.root + "/" + unit.literals, unit.display, unit.original,
          /*counted=*/false};
}

// What the shortcut needs beside the table: the source text the table
// describes, and the hash of the source last expanded in full (its cache
// entry vouches that the headers it read are unchanged).
std::string SourceCopyOf(const BuildState& s, size_t i) { return s.plan.root + "/" + s.plan.units[i].literals + ".source"; }
std::string AnchorOf(const BuildState& s, size_t i) { return s.plan.root + "/" + s.plan.units[i].literals + ".anchor"; }

std::string ExpandKey(const BuildState& s, size_t i, const std::string& source_hash) {
  const CompileUnit& unit = s.plan.units[i];
  std::vector<std::string> command = {"expander"};
  command.insert(command.end(), unit.expand_args.begin(), unit.expand_args.end());
  return CommandKey(s, "expand-v1", command, {kExpanderVersion, s.expander_id, unit.display, source_hash});
}

// After a full expansion or a restore: the expansion in the build directory
// is the one cached for `source_hash`. Failing to write only costs the
// shortcut (the next edit expands in full). A no-op build writes nothing.
void Anchor(BuildState& s, size_t i, const std::string& source_hash) {
  Result<std::string> text = ReadFile(s.plan.root + "/" + s.plan.units[i].original, kSourceFile);
  Result<std::string> anchored = ReadFile(AnchorOf(s, i), kStateFile);
  Result<std::string> copy = ReadFile(SourceCopyOf(s, i), kSourceFile);
  if (text && anchored && copy && *anchored == source_hash && *copy == *text) return;
  if (!text || !WriteFileAtomically(SourceCopyOf(s, i), *text) || !WriteFileAtomically(AnchorOf(s, i), source_hash)) {
    ::unlink(AnchorOf(s, i).c_str());
  }
}

// The shortcut; false when it does not apply.
bool PatchTable(BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  Result<std::string> anchor = ReadFile(AnchorOf(s, i), kStateFile);
  if (!anchor) return false;
  CacheLookup found = s.cache.Lookup(StepKind::kExpand, ExpandKey(s, i, *anchor), s.files, unit.display, /*count=*/false);
  s.files.Forget(unit.source);
  Result<std::string> expansion = s.files.HashFile(unit.source);
  if (!found.hit || !expansion || *expansion != found.object.hash) return false;
  Result<std::string> old_source = ReadFile(SourceCopyOf(s, i), kSourceFile);
  Result<std::string> old_table = ReadFile(s.plan.root + "/" + unit.literals, kSourceFile);
  Result<std::string> new_source = ReadFile(s.plan.root + "/" + unit.original, kSourceFile);
  if (!old_source || !old_table || !new_source) return false;
  std::optional<std::string> table = dsl::PatchLiterals(*old_source, *old_table, *new_source, unit.display);
  if (!table) return false;
  if (*table != *old_table && !WriteFileAtomically(s.plan.root + "/" + unit.literals, *table)) return false;
  return WriteFileAtomically(SourceCopyOf(s, i), *new_source).ok();
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
  if (!Keep(s, OutputOf(s, i))) return false;
  if (!unit.literals.empty()) Anchor(s, i, s.units[i].source_hash);
  return true;
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
  s.units[i].expand_key = ExpandKey(s, i, *source);
  s.units[i].source_hash = *source;
  if (!unit.literals.empty()) s.units[i].literals_key = CommandKey(s, "expand-literals-v1", command, fields);
  CachedOutput out = OutputOf(s, i);
  if (RestoreAll(s, i)) {
    if (!unit.literals.empty()) Anchor(s, i, *source);
    return JobAction::Done();
  }
  if (!unit.literals.empty() && PatchTable(s, i)) return JobAction::Done();
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
