// Linking with wasm-ld-19 into the build directory. The link is skipped when
// the module in the output directory is exactly what these inputs, flags
// and optimizer options made last time (a stamp records both hashes).
#include <filesystem>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "compiler-driver/content_hash.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::string StampPath(const BuildPlan& plan) { return plan.build_dir + "/module.stamp"; }

std::string LinkKey(const BuildState& s) {
  Hasher hasher;
  hasher.Add("link-v4").Add(s.plan.toolchain.wasm_ld).Add(s.plan.toolchain.compiler_id).Add(s.self_id);
  for (const std::string& flag : s.plan.link_flags) hasher.Add(flag);
  for (size_t i = 0; i < s.plan.units.size(); ++i) hasher.Add(s.plan.units[i].object).Add(s.units[i].object_hash);
  // Every optimizer option, by the request's one serialization.
  hasher.Add(opt::OptimizeRequestKey(s.plan.optimize));
  return hasher.Add(s.plan.module_path).Finish();
}

// The link as an action: what wasm-ld reads, without the project's path.
std::string LinkActionKey(const BuildState& s) {
  ActionKey key("link-v1");
  const Toolchain& t = s.plan.toolchain;
  key.Add(t.wasm_ld).Add(t.compiler_id).Add(t.lib_dir).Add(s.plan.app_name);
  for (const std::string& flag : s.plan.link_flags) key.Add(PortableText(s, flag));
  for (bool runtime : {true, false}) {
    for (size_t i = 0; i < s.plan.units.size(); ++i) {
      if (IsRuntimeUnit(s.plan.units[i]) == runtime) key.Add(s.plan.units[i].object).Add(s.units[i].object_hash);
    }
  }
  return key.Finish();
}

std::vector<StepOutput> LinkOutputs(const BuildState& s) {
  return {{"wasm", s.plan.linked_path, false}, {"map", s.plan.map_path, true}};
}

bool UpToDate(BuildState& s) {
  Result<std::string> stamp = ReadFile(StampPath(s.plan), kStateFile);
  if (!stamp || stamp->rfind(s.link.key + "\n", 0) != 0) return false;
  // Through the file hasher: an untouched module is not read again.
  s.files.Forget(s.plan.module_path);
  std::optional<std::string> module = s.files.Hash(s.plan.module_path, kModuleFile);
  std::error_code ec;
  uintmax_t bytes = std::filesystem::file_size(s.plan.module_path, ec);
  if (!module || ec || *stamp != s.link.key + "\n" + *module + "\n") return false;
  Result<std::string> report = ReadFile(s.plan.optimize.report, kReportFile);
  s.link.optimizer_report = report ? *report : "{}";
  s.link.module_bytes = bytes;
  return true;
}

JobAction Prepare(BuildState& s) {
  s.link.key = LinkKey(s);
  if (UpToDate(s)) {
    s.link.up_to_date = true;
    return JobAction::Done();
  }
  if (Status made = MakeDirectories(s.plan.build_dir); !made) {
    s.sink.Error({}, made.error().message);
    return JobAction::Failed();
  }
  s.link.link_action = LinkActionKey(s);
  if (RestoreStep(s, StepKind::kLink, s.link.link_action, LinkOutputs(s), "link " + s.plan.variant.name)) {
    s.link.linked = true;  // a new module comes (from the cache): not up to date
    return JobAction::Done();
  }
  const Toolchain& t = s.plan.toolchain;
  std::vector<std::string> argv = {t.wasm_ld, "-m", "wasm32", "-L" + t.lib_dir, t.lib_dir + "/crt1-reactor.o"};
  // The runtime first: wasm-ld lays data out in input order, so the app's
  // data comes after the runtime's and an app edit moves less of the
  // runtime's (smaller delta bundles; merged string literals still move).
  for (bool runtime : {true, false}) {
    for (const CompileUnit& unit : s.plan.units) {
      if (IsRuntimeUnit(unit) == runtime) argv.push_back(unit.object);
    }
  }
  argv.insert(argv.end(), s.plan.link_flags.begin(), s.plan.link_flags.end());
  argv.insert(argv.end(), {"--Map=" + s.plan.map_path, "-o", s.plan.linked_path});
  return JobAction::Run(std::move(argv), s.plan.root);
}

// "... cannot be used against non-TLS symbol `errno`" → "errno".
std::string NonTlsSymbol(const std::string& output) {
  constexpr std::string_view kMarker = "cannot be used against non-TLS symbol `";
  size_t at = output.find(kMarker);
  if (at == std::string::npos) return {};
  at += kMarker.size();
  size_t end = output.find('`', at);
  return end == std::string::npos ? std::string() : output.substr(at, end - at);
}

void Failed(BuildState& s, const ProcessResult& result) {
  if (result.output.find("undefined symbol: ws_app_root()") != std::string::npos) {
    s.sink.Error({}, "the app has no root composable",
                 {"add `UI_APP(Root);` to one source file, where Root is a UI_COMPOSABLE taking no arguments"});
  }
  // The prebuilt wasm32 libc is single-threaded: its globals are not
  // thread-local, whatever a header compiled with atomics says.
  if (std::string symbol = NonTlsSymbol(result.output); !symbol.empty() && s.plan.variant.features.threads) {
    s.sink.Error({}, "variant " + s.plan.variant.name + " (threads) refers to `" + symbol +
                         "` as thread-local, but the prebuilt wasm32 libc defines it as a plain global",
                 {"declare it without thread_local/_Thread_local (libc has one copy for all threads), "
                  "or build this app for devices without `threads: true`"});
  }
}

}  // namespace

Job MakeLinkJob(BuildState& state, std::vector<size_t> deps) {
  Job job;
  job.description = "link " + state.plan.variant.name;
  job.deps = std::move(deps);
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult& result) {
    state.link.link_ms = result.wall_ms;
    state.link.linked = true;
    KeepStep(state, state.link.link_action, LinkOutputs(state));
    return true;
  };
  job.failed = [&state](const ProcessResult& result) { Failed(state, result); };
  return job;
}

std::string ModuleStampPath(const BuildPlan& plan) { return StampPath(plan); }

}  // namespace ws
