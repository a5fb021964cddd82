// After the link: `wasmship __optimize --request FILE` (wasm-opt-passes'
// optimize_step.h in a subprocess, since Binaryen keeps global state and may
// exit on a bad pass name) runs the plan's optimize request: the profile's pipeline, validates the module against the variant's
// features, audits trap sites and names the functions. The result is
// checked against the host ABI and only then staged to replace the shipped
// module (with the build's other outputs, compiler-driver/output_set.h).
#include <filesystem>
#include <span>

#include <nlohmann/json.hpp>

#include "compiler-driver/build_jobs.h"
#include "compiler-driver/cached_output.h"
#include "compiler-driver/content_hash.h"
#include "wasm-binary/host_abi_check.h"
#include "wasm-binary/module_reader.h"

namespace ws {

namespace {

namespace fs = std::filesystem;

std::string RequestPath(const BuildPlan& plan) { return plan.build_dir + "/optimize-request.json"; }

bool Accept(BuildState& s, double ms);

// The optimize step as an action: wasmship's identity (Binaryen is linked
// into it), every option of the request and the linked module's content.
std::optional<std::string> OptimizeActionKey(const BuildState& s) {
  Result<std::string> linked = ReadFile(s.plan.linked_path, kModuleFile);
  if (!linked) return std::nullopt;
  opt::OptimizeRequest request = s.plan.optimize;
  request.input = request.output = request.report = request.symbols = "";
  ActionKey key("optimize-v1");
  key.Add(s.self_id).Add(PortableText(s, opt::OptimizeRequestKey(request))).Add(ContentDigest(*linked));
  return key.Finish();
}

std::vector<StepOutput> OptimizeOutputs(const BuildState& s) {
  const opt::OptimizeRequest& r = s.plan.optimize;
  return {{"module", r.output, false}, {"symbols", r.symbols, true}, {"report", r.report, true}};
}

JobAction Prepare(BuildState& s) {
  if (s.link.up_to_date) return JobAction::Done();
  if (std::optional<std::string> key = OptimizeActionKey(s)) {
    s.link.optimize_action = *key;
    std::string what = "optimize " + fs::path(s.plan.module_path).filename().string();
    if (RestoreStep(s, StepKind::kOptimize, *key, OptimizeOutputs(s), what)) {
      return Accept(s, 0) ? JobAction::Done() : JobAction::Failed();
    }
  }
  std::string request = opt::OptimizeRequestToJson(s.plan.optimize).dump(1);
  if (Status written = WriteFileAtomically(RequestPath(s.plan), request); !written) {
    s.sink.Error({}, written.error().message);
    return JobAction::Failed();
  }
  return JobAction::Run({s.plan.self, "__optimize", "--request", RequestPath(s.plan)}, s.plan.root);
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

// `preinit: true` (docs/preinit.md): what the optimize step's
// pre-initialization left out, and why, as a warning the build prints.
void ReportPreinit(BuildState& s, const std::string& report_text) {
  nlohmann::json report = nlohmann::json::parse(report_text, nullptr, false);
  if (report.is_discarded() || !report.contains("preinit")) return;
  const nlohmann::json& preinit = report["preinit"];
  std::string variant = "variant " + s.plan.variant.name;
  if (preinit.contains("skipped")) {
    s.sink.Warning({}, variant + ": pre-initialization skipped: " + preinit["skipped"].get<std::string>(),
                   {"the module starts as it would without `preinit: true`"});
    return;
  }
  if (!preinit.contains("stopped")) return;
  const nlohmann::json& stop = preinit["stopped"];
  std::string what = stop.value("import", "").empty() ? "stopped" : "stopped at a call to " + stop.value("import", "");
  std::vector<std::string> notes = {stop.value("why", "")};
  if (stop.contains("stack") && !stop["stack"].empty()) {
    std::string stack = "called from ";
    for (size_t i = 0; i < stop["stack"].size(); ++i) stack += (i ? " <- " : "") + stop["stack"][i].get<std::string>();
    notes.push_back(stack);
  }
  notes.push_back(preinit.contains("snapshot_after")
                      ? "the module starts from the state after " + preinit["snapshot_after"].get<std::string>()
                      : "the module ships without a snapshot");
  s.sink.Warning({}, variant + ": pre-initialization " + what + " in " + stop.value("stage", "") , notes);
}

// The optimizer's outputs (run now or from the cache) checked and staged.
bool Accept(BuildState& s, double ms) {
  s.link.optimize_ms = ms;
  const opt::OptimizeRequest& request = s.plan.optimize;
  const std::string& produced = request.output;
  Result<std::string> module = ReadFile(produced, kModuleFile);
  Result<std::string> symbols = ReadFile(request.symbols, kReportFile);
  Result<std::string> report = ReadFile(request.report, kReportFile);
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
  ReportPreinit(s, *report);
  // Checked against the module in the output directory: until the commit
  // puts this one there, the next build relinks. Without it, likewise.
  (void)WriteFileAtomically(ModuleStampPath(s.plan), s.link.key + "\n" + s.link.module_hash + "\n");
  return true;
}

bool Finish(BuildState& s, const ProcessResult& result) {
  // Cached before Accept moves the module to its name in the build directory.
  if (!s.link.optimize_action.empty()) KeepStep(s, s.link.optimize_action, OptimizeOutputs(s));
  return Accept(s, result.wall_ms);
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
