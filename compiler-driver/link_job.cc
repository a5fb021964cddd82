#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/content_hash.h"

namespace ws {
namespace {

// The stamp records which inputs produced the module in the output
// directory and the module's own hash, so a no-op build can skip the link
// and a module edited or damaged by hand is relinked.
std::string StampPath(const BuildPlan& plan) { return plan.build_dir + "/link.stamp"; }

std::string LinkKey(const BuildState& s) {
  Hasher hasher;
  hasher.Add("link-v1").Add(s.plan.toolchain.wasm_ld).Add(s.plan.toolchain.compiler_id);
  for (const std::string& flag : s.plan.link_flags) hasher.Add(flag);
  for (size_t i = 0; i < s.plan.units.size(); ++i) {
    hasher.Add(s.plan.units[i].object).Add(s.units[i].object_hash);
  }
  return hasher.Add(s.plan.module_path).Finish();
}

bool UpToDate(BuildState& s) {
  Result<std::string> stamp = ReadFile(StampPath(s.plan));
  if (!stamp || stamp->rfind(s.link.key + "\n", 0) != 0) return false;
  Result<std::string> module = ReadFile(s.plan.module_path);
  if (!module || *stamp != s.link.key + "\n" + HashBytes(*module) + "\n") return false;
  s.link.module_bytes = module->size();
  return true;
}

JobAction Prepare(BuildState& s) {
  s.link.key = LinkKey(s);
  if (UpToDate(s)) return JobAction::Done();
  for (const std::string& dir : {std::filesystem::path(s.plan.module_path).parent_path().string(),
                                 s.plan.build_dir}) {
    if (Status made = MakeDirectories(dir); !made) {
      s.sink.Error({}, made.error().message);
      return JobAction::Failed();
    }
  }
  s.link.module = std::make_unique<PendingFile>(s.plan.module_path);
  s.link.map = std::make_unique<PendingFile>(s.plan.map_path);
  const Toolchain& t = s.plan.toolchain;
  std::vector<std::string> argv = {t.wasm_ld, "-m", "wasm32", "-L" + t.lib_dir, t.lib_dir + "/crt1-command.o"};
  for (const CompileUnit& unit : s.plan.units) argv.push_back(unit.object);
  argv.insert(argv.end(), s.plan.link_flags.begin(), s.plan.link_flags.end());
  argv.insert(argv.end(), {"--Map=" + s.link.map->temp_path(), "-o", s.link.module->temp_path()});
  return JobAction::Run(std::move(argv), s.plan.root);
}

bool Finish(BuildState& s, const ProcessResult& result) {
  s.link.ms = result.wall_ms;
  Result<std::string> module = ReadFile(s.link.module->temp_path());
  if (!module) {
    s.sink.Error({}, "wasm-ld reported success but wrote no module");
    return false;
  }
  Status map = s.link.map->Commit();
  Status committed = s.link.module->Commit();
  if (!committed) {
    s.sink.Error({}, committed.error().message);
    return false;
  }
  if (!map) s.observer.Message("warning: " + map.error().message);
  s.link.linked = true;
  s.link.module_bytes = module->size();
  // Without a stamp the next build relinks; nothing is lost.
  (void)WriteFileAtomically(StampPath(s.plan), s.link.key + "\n" + HashBytes(*module) + "\n");
  return true;
}

}  // namespace

Job MakeLinkJob(BuildState& state, std::vector<size_t> deps) {
  Job job;
  job.description = "link " + std::filesystem::path(state.plan.module_path).filename().string();
  job.deps = std::move(deps);
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult& result) { return Finish(state, result); };
  return job;
}

}  // namespace ws
