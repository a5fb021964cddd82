#include <chrono>
#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "compiler-driver/content_hash.h"
#include "platform/elapsed.h"

namespace ws {
namespace {

using Clock = std::chrono::steady_clock;

CachedOutput OutputOf(const BuildState& s, size_t i) {
  const CompileUnit& unit = s.plan.units[i];
  return {StepKind::kCompile, s.units[i].key, s.plan.root + "/" + unit.object, unit.display, ""};
}

JobAction Prepare(BuildState& s, size_t i) {
  Clock::time_point start = Clock::now();
  const CompileUnit& unit = s.plan.units[i];
  UnitState& state = s.units[i];
  state.report.source = unit.display;
  // A DSL source compiles its expansion, which the expand job just wrote.
  s.files.Forget(unit.source);
  Result<std::string> source_hash = s.files.HashFile(unit.source);
  if (!source_hash) {
    s.sink.Error({unit.display, 0, 0, 1}, source_hash.error().message);
    return JobAction::Failed();
  }
  state.key = CommandKey(s, "compile-v2", unit.command, {unit.display, *source_hash});
  CachedOutput out = OutputOf(s, i);
  if (std::optional<std::string> hash = Restore(s, out, state.report.cache)) {
    state.object_hash = *hash;
    state.report.ms = MsSince(start);
    return JobAction::Done();
  }
  if (Status made = MakeDirectories(std::filesystem::path(out.path).parent_path()); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  std::vector<std::string> argv = s.plan.launcher;
  argv.insert(argv.end(), unit.command.begin(), unit.command.end());
  argv.push_back(s.color ? "-fcolor-diagnostics" : "-fno-color-diagnostics");
  argv.insert(argv.end(), s.plan.launcher_flags.begin(), s.plan.launcher_flags.end());
  argv.insert(argv.end(), {"-MD", "-MF", unit.object + ".d", "-c", unit.source, "-o", unit.object + ".tmp"});
  return JobAction::Run(std::move(argv), s.plan.root);
}

bool Finish(BuildState& s, size_t i, const ProcessResult& result) {
  UnitState& state = s.units[i];
  state.report.ms = result.wall_ms;
  std::optional<std::string> hash = Keep(s, OutputOf(s, i));
  if (!hash) return false;
  state.object_hash = *hash;
  return true;
}

// Apps compile without RTTI, like the runtime: otherwise the typeinfo of
// every class with virtual functions keeps libc++abi's dynamic_cast machinery
// (about 1.7 KB after zstd) in every module. Code that needs RTTI says so.
void Failed(BuildState& s, size_t i, const ProcessResult& result) {
  if (result.output.find("requires -frtti") == std::string::npos) return;
  s.sink.Error({}, s.plan.units[i].display + " uses typeid or dynamic_cast, and wasmship compiles apps with -fno-rtti",
               {"add `cflags: [-frtti]` to the profile in wasmship.yaml (it adds about 1.7 KB to a bundle)"});
}

}  // namespace

Job MakeCompileJob(BuildState& state, size_t unit, std::vector<size_t> deps) {
  Job job;
  job.description = "compile " + state.plan.units[unit].display;
  job.deps = std::move(deps);
  job.prepare = [&state, unit] { return Prepare(state, unit); };
  job.finish = [&state, unit](const ProcessResult& result) { return Finish(state, unit, result); };
  job.failed = [&state, unit](const ProcessResult& result) { Failed(state, unit, result); };
  return job;
}

}  // namespace ws
