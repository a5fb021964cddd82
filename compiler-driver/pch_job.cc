#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"

namespace ws {
namespace {

CachedOutput OutputOf(const BuildState& s) {
  return {StepKind::kPch, s.pch.key, s.plan.root + "/" + s.plan.pch.output, "wasmship/ui.hpp (precompiled)", ""};
}

JobAction Prepare(BuildState& s) {
  const PchStep& pch = s.plan.pch;
  std::optional<std::string> header = s.files.Hash(pch.header);
  if (!header) {
    s.sink.Error({pch.header, 0, 0, 1}, "cannot read the runtime's umbrella header");
    return JobAction::Failed();
  }
  // Unlike objects, a PCH records the absolute paths of the headers it was
  // made from and refuses to load when they are gone: it is shared only by
  // builds that use the runtime from the same place.
  std::string place = std::filesystem::absolute(pch.header).lexically_normal().string();
  s.pch.key = CommandKey(s, "pch-v1 " + place, pch.command, {*header});
  CacheStatus status = CacheStatus::kMiss;
  if (Restore(s, OutputOf(s), status)) return JobAction::Done();
  if (Status made = MakeDirectories(std::filesystem::path(OutputOf(s).path).parent_path()); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  std::vector<std::string> argv = pch.command;
  argv.push_back(s.color ? "-fcolor-diagnostics" : "-fno-color-diagnostics");
  argv.insert(argv.end(), {"-MD", "-MF", pch.output + ".d", "-o", pch.output + ".tmp"});
  return JobAction::Run(std::move(argv), s.plan.root);
}

}  // namespace

Job MakePchJob(BuildState& state) {
  Job job;
  job.description = "precompile wasmship/ui.hpp";
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult&) { return Keep(state, OutputOf(state)).has_value(); };
  return job;
}

}  // namespace ws
