// The hidden `__optimize` step of a build: runs the optimize request that
// compiler-driver wrote (wasm-opt-passes/optimize_step.h) in its own
// process, so that variants optimize in parallel.
#include <memory>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "platform/heap_tuning.h"
#include "wasm-opt-passes/optimize_step.h"

namespace ws {
namespace {

int RunOptimize(const std::string& request_path, const GlobalOptions& global) {
  KeepFreedMemory();  // a step of its own: reuse beats giving memory back
  Result<opt::OptimizeRequest> request = opt::ReadOptimizeRequest(request_path);
  Status done = request ? opt::RunOptimizeStep(*request) : Status(Error{request.error().message});
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
