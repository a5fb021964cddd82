// wasmship merge DIR... -o OUT: joins the output directories of a build's
// shards (`build --shard K/N`) into one (compiler-driver/dist_merge.h).
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "compiler-driver/dist_merge.h"

namespace ws {
namespace {

struct MergeFlags {
  std::vector<std::string> dirs;
  std::string out;
};

int RunMerge(const MergeFlags& flags, const GlobalOptions& global) {
  DiagnosticSink sink;
  MergeSummary summary;
  MergeStatus status = MergeShards(flags.dirs, flags.out, summary, sink);
  if (status == MergeStatus::kRefused) return Fail(global, kExitUsage, sink);
  if (status == MergeStatus::kFailed) return Fail(global, kExitBuildError, sink);
  PrintDiagnostics(global, sink.diagnostics());
  if (!global.quiet) {
    std::cerr << "Merged " << summary.shards << " shards: " << summary.variants << " variants for " << summary.devices
              << " devices, in " << flags.out << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddMergeCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* app = parent.add_subcommand(
      "merge", "Join the output directories of `build --shard K/N` jobs into one, as a single build makes it");
  app->add_option("dirs", flags->dirs, "The shards' output directories (each has a shard.json)")
      ->required()
      ->option_text("DIR...");
  app->add_option("-o,--out", flags->out, "The merged output directory (replaced as a whole)")
      ->required()
      ->option_text("DIR");
  return {app, [flags, &global] { return RunMerge(*flags, global); }};
}

}  // namespace ws
