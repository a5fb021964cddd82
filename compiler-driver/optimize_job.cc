// After the link: `wasmship __optimize` (wasm-opt-passes in a subprocess,
// since Binaryen keeps global state and may exit on a bad pass name) runs
// the profile's pipeline, validates the module against the variant's
// features, audits trap sites and names the functions. The result is
// checked against the host ABI and only then staged to replace the shipped
// module (with the build's other outputs, compiler-driver/output_set.h).
#include <filesystem>
#include <span>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/content_hash.h"
#include "wasm-binary/host_abi_check.h"
#include "wasm-binary/module_reader.h"

namespace ws {

std::string ModuleStampPath(const BuildPlan& plan);

namespace {

namespace fs = std::filesystem;

std::string ReportPath(const BuildPlan& plan) { return plan.build_dir + "/optimizer.json"; }
std::string SymbolsTemp(const BuildPlan& plan) { return plan.build_dir + "/symbols.json"; }

JobAction Prepare(BuildState& s) {
  if (s.link.up_to_date) return JobAction::Done();
  const OptimizeStep& o = s.plan.optimize;
  std::string features;
  for (const std::string& f : o.features) features += (features.empty() ? "" : ",") + f;
  std::vector<std::string> argv = {s.plan.self,       "__optimize",        "--pipeline", o.pipeline,
                                   "--features",      features.empty() ? "mvp" : features,
                                   "--variant",       s.plan.variant.name,
                                   "--strip-logs-below", std::to_string(o.strip_logs_below),
                                   "--report",        ReportPath(s.plan), "--symbols", SymbolsTemp(s.plan),
                                   "--output",        s.plan.optimized_path + ".tmp"};
  if (o.strip) argv.push_back("--strip");
  if (o.low_memory_unused) argv.push_back("--low-memory-unused");
  argv.push_back(s.plan.linked_path);
  return JobAction::Run(std::move(argv), s.plan.root);
}

// Every import outside the host ABI and every missing export fails the
// build: a device would refuse the module anyway.
bool CheckAbi(BuildState& s, const std::string& bytes) {
  auto span = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  Result<wasm::Module> module = wasm::ReadModule(span);
  if (!module) {
    s.sink.Error({}, "the optimized module cannot be read: " + module.error().message);
    return false;
  }
  wasm::AbiCheck check = wasm::CheckHostAbi(*module);
  for (const std::string& problem : check.Messages()) {
    s.sink.Error({}, "the module for " + s.plan.variant.name + " " + problem,
                 {"apps may only use the ws_host imports and the WASI calls listed in docs/host-abi.md"});
  }
  return check.ok();
}

bool Finish(BuildState& s, const ProcessResult& result) {
  s.link.optimize_ms = result.wall_ms;
  std::string produced = s.plan.optimized_path + ".tmp";
  Result<std::string> module = ReadFile(produced, kModuleFile);
  Result<std::string> symbols = ReadFile(SymbolsTemp(s.plan), kReportFile);
  Result<std::string> report = ReadFile(ReportPath(s.plan), kReportFile);
  if (!module || !symbols || !report) {
    s.sink.Error({}, "the optimizer reported success but wrote no module");
    return false;
  }
  ::rename(produced.c_str(), s.plan.optimized_path.c_str());
  if (!CheckAbi(s, *module)) return false;
  // The bundle step stages the symbol map, with each function's component.
  Result<std::string> staged = s.outputs.Stage(s.plan.module_path, *module);
  if (!staged) {
    s.sink.Error({}, staged.error().message);
    return false;
  }
  s.link.module_file = *staged;
  s.link.module_hash = HashBytes(*module);
  s.link.module_bytes = module->size();
  s.link.optimizer_report = *report;
  // Checked against the module in the output directory: until the commit
  // puts this one there, the next build relinks. Without it, likewise.
  (void)WriteFileAtomically(ModuleStampPath(s.plan), s.link.key + "\n" + s.link.module_hash + "\n");
  return true;
}

}  // namespace

Job MakeOptimizeJob(BuildState& state, size_t link_job) {
  Job job;
  job.description = "optimize " + fs::path(state.plan.module_path).filename().string();
  job.deps = {link_job};
  job.prepare = [&state] { return Prepare(state); };
  job.finish = [&state](const ProcessResult& result) { return Finish(state, result); };
  return job;
}

}  // namespace ws
