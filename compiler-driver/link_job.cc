#include <filesystem>
#include <span>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/content_hash.h"
#include "wasm-binary/host_abi_check.h"
#include "wasm-binary/module_reader.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

// The stamp records which inputs produced the module in the output
// directory and the module's own hash, so a no-op build can skip the link
// and a module edited or damaged by hand is relinked.
std::string StampPath(const BuildPlan& plan) { return plan.build_dir + "/link.stamp"; }

std::string LinkKey(const BuildState& s) {
  Hasher hasher;
  hasher.Add("link-v2").Add(s.plan.toolchain.wasm_ld).Add(s.plan.toolchain.compiler_id);
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
  if (Status made = MakeDirectories(s.plan.build_dir); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  // wasm-ld names the module after its output file, so it writes a file
  // called like the final module; dist/ only ever receives a checked module.
  s.link.output = s.plan.build_dir + "/" + fs::path(s.plan.module_path).filename().string();
  const Toolchain& t = s.plan.toolchain;
  std::vector<std::string> argv = {t.wasm_ld, "-m", "wasm32", "-L" + t.lib_dir, t.lib_dir + "/crt1-reactor.o"};
  for (const CompileUnit& unit : s.plan.units) argv.push_back(unit.object);
  argv.insert(argv.end(), s.plan.link_flags.begin(), s.plan.link_flags.end());
  argv.insert(argv.end(), {"--Map=" + s.plan.map_path, "-o", s.link.output});
  return JobAction::Run(std::move(argv), s.plan.root);
}

// Every import outside the host ABI and every missing export fails the
// build: a device would refuse the module anyway.
bool CheckAbi(BuildState& s, const std::string& bytes) {
  auto span = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  Result<wasm::Module> module = wasm::ReadModule(span);
  if (!module) {
    s.sink.Error({}, "wasm-ld wrote a module wasmship cannot read: " + module.error().message);
    return false;
  }
  wasm::AbiCheck check = wasm::CheckHostAbi(*module);
  for (const std::string& problem : check.Messages()) {
    s.sink.Error({}, "the linked module " + problem,
                 {"apps may only use the ws_host imports and the WASI calls listed in docs/host-abi.md"});
  }
  return check.ok();
}

bool Finish(BuildState& s, const ProcessResult& result) {
  s.link.ms = result.wall_ms;
  Result<std::string> module = ReadFile(s.link.output);
  if (!module) {
    s.sink.Error({}, "wasm-ld reported success but wrote no module");
    return false;
  }
  if (!CheckAbi(s, *module)) return false;
  if (Status made = MakeDirectories(fs::path(s.plan.module_path).parent_path().string()); !made) {
    s.sink.Error({}, made.error().message);
    return false;
  }
  if (Status written = WriteFileAtomically(s.plan.module_path, *module); !written) {
    s.sink.Error({}, written.error().message);
    return false;
  }
  s.link.linked = true;
  s.link.module_bytes = module->size();
  // Without a stamp the next build relinks; nothing is lost.
  (void)WriteFileAtomically(StampPath(s.plan), s.link.key + "\n" + HashBytes(*module) + "\n");
  return true;
}

void Failed(BuildState& s, const ProcessResult& result) {
  if (result.output.find("undefined symbol: ws_app_root()") != std::string::npos) {
    s.sink.Error({}, "the app has no root composable",
                 {"add `UI_APP(Root);` to one source file, where Root is a UI_COMPOSABLE taking no arguments"});
  }
}

}  // namespace

Job MakeLinkJob(BuildState& state, std::vector<size_t> deps) {
  Job job;
  job.description = "link " + fs::path(state.plan.module_path).filename().string();
  job.deps = std::move(deps);
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult& result) { return Finish(state, result); };
  job.failed = [&state](const ProcessResult& result) { Failed(state, result); };
  return job;
}

}  // namespace ws
