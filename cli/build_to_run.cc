#include "cli/build_to_run.h"

#include <iostream>

#include "cli/build_progress.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/remote_cache_opener.h"
#include "platform/interrupt.h"

namespace ws {

std::optional<BuildOutcome> BuildToRun(const std::string& manifest_path, const std::string& profile,
                                       std::vector<std::string> devices, const GlobalOptions& global,
                                       OutputFormat format, int& exit_code) {
  BuildProgress progress(global);
  BuildOptions options;
  options.manifest_path = manifest_path;
  options.profile = profile;
  options.devices = std::move(devices);
  options.color = progress.color();
  options.self = SelfExecutable();
  options.open_remote_cache = OpenBuildRemoteCache;
  options.tool_version = WasmshipVersion();
  options.check_budgets = false;
  DiagnosticSink sink;
  BuildOutcome built = Build(options, progress, sink);
  progress.ClearLine();
  if (built.status == BuildStatus::kInterrupted) {
    PrintDiagnostics(global, sink.diagnostics());
    std::cerr << "wasmship: interrupted\n";
    exit_code = InterruptExitCode();
    return std::nullopt;
  }
  if (built.status != BuildStatus::kOk) {
    exit_code = Fail(global, ExitCodeFor(built.status), sink, format);
    return std::nullopt;
  }
  PrintDiagnostics(global, sink.diagnostics());
  return built;
}

}  // namespace ws
