// The hidden `__optimize` step of a build: runs the optimize request that
// compiler-driver wrote (wasm-opt-passes/optimize_step.h) in its own
// process, so that variants optimize in parallel. With `preinit: true` it
// then pre-initializes the optimized module (device-host/preinit.h, written
// by wasm-binary/snapshot_writer.h): here, because cli is what may link
// both the optimizer and the device host.
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "device-host/preinit.h"
#include "platform/atomic_file.h"
#include "platform/heap_tuning.h"
#include "wasm-binary/symbol_map.h"
#include "wasm-opt-passes/optimize_step.h"

namespace ws {
namespace {

nlohmann::ordered_json StopJson(const host::PreinitStop& stop) {
  return {{"stage", stop.stage}, {"import", stop.import}, {"why", stop.why}, {"stack", stop.stack}};
}

// Runs the start-up, writes the snapshot into the module and reports under
// the optimizer report's "preinit" key (compiler-driver prints its notes).
// Only an unreadable or unwritable file fails the build: a start-up that
// cannot be snapshotted ships without (all or part of) the snapshot.
Status Preinit(const opt::OptimizeRequest& request) {
  nlohmann::ordered_json report = {{"width", request.options.preinit_width},
                                   {"height", request.options.preinit_height}};
  Result<std::string> module = ReadFile(request.output, kModuleFile);
  if (!module) return Error{module.error().message};
  if (request.options.features.threads) {
    report["skipped"] = "the threads variant imports its shared memory, which a module cannot carry";
  } else {
    host::PreinitOptions options;
    options.width = request.options.preinit_width;
    options.height = request.options.preinit_height;
    options.assets_dir = request.assets;
    options.fetchable.insert(request.options.preinit_fetch.begin(), request.options.preinit_fetch.end());
    if (Result<wasm::SymbolMap> symbols = wasm::ReadSymbolMap(request.symbols)) {
      options.symbols = wasm::SymbolNames(*symbols);
    }
    auto wasm = std::span(reinterpret_cast<const uint8_t*>(module->data()), module->size());
    Result<host::PreinitResult> ran = host::Preinitialize(wasm, options);
    if (!ran) return Error{"pre-initialization: " + ran.error().message};
    if (ran->stopped) report["stopped"] = StopJson(*ran->stopped);
    report["instructions"] = ran->instructions;
    if (!request.options.preinit_fetch.empty()) {
      report["fetched"] = ran->fetched;
      report["rounds"] = ran->rounds;
    }
    if (ran->snapshot) {
      wasm::SnapshotStats stats;
      Result<std::vector<uint8_t>> written = wasm::WriteSnapshot(wasm, *ran->snapshot, {}, &stats);
      if (!written) {
        report["skipped"] = written.error().message;
      } else {
        report["snapshot_after"] = ran->snapshot_after;
        report["segments"] = stats.segments;
        report["data_bytes"] = stats.data_bytes;
        report["memory_pages"] = stats.memory_pages;
        report["wasm_bytes_before"] = module->size();
        report["wasm_bytes_after"] = written->size();
        std::string bytes(written->begin(), written->end());
        if (Status saved = WriteFileAtomically(request.output, bytes); !saved) return saved;
      }
    }
  }
  Result<std::string> text = ReadFile(request.report, kReportFile);
  if (!text) return Error{text.error().message};
  nlohmann::ordered_json optimizer = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (optimizer.is_discarded()) return Error{request.report + ": the optimizer's report is not JSON"};
  optimizer["preinit"] = report;
  return WriteFileAtomically(request.report, optimizer.dump(2) + "\n");
}

int RunOptimize(const std::string& request_path, const GlobalOptions& global) {
  KeepFreedMemory();  // a step of its own: reuse beats giving memory back
  Result<opt::OptimizeRequest> request = opt::ReadOptimizeRequest(request_path);
  Status done = request ? opt::RunOptimizeStep(*request) : Status(Error{request.error().message});
  if (done && request->options.preinit_width > 0) done = Preinit(*request);
  if (done) return kExitOk;
  return Fail(global, kExitBuildError, done.error().message);
}

}  // namespace

Command AddInternalOptimizeCommand(CLI::App& parent, const GlobalOptions& global) {
  auto request = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("__optimize", "");
  app->group("");  // hidden: the build's own step
  app->add_option("--request", *request)->required();
  return {app, [request, &global] { return RunOptimize(*request, global); }};
}

}  // namespace ws
