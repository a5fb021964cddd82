// wasmship budget check [--dist DIR] [--baseline REPORT.json]: the budget
// gate of `build`, re-run on a finished build's report (exit 3 on any
// violation, each one listed).
#include <iostream>

#include "cli/command.h"
#include "cli/failure.h"
#include "cli/exit_code.h"
#include "cli/project_root.h"
#include "compiler-driver/build_plan.h"
#include "compiler-driver/output_set.h"
#include "compiler-driver/release_outputs.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

struct BudgetFlags {
  std::string dist = "dist";
  std::string baseline;
};

int RunCheck(const BudgetFlags& flags, const GlobalOptions& global) {
  std::optional<ProjectRoot> project = EnterProjectRoot(global);
  if (!project) return kExitUsage;
  DiagnosticSink sink;
  auto fail = [&](int code) { return Fail(global, code, sink); };
  std::optional<Manifest> manifest = LoadManifest(project->manifest, sink);
  if (!manifest) return fail(kExitUsage);
  std::string dist = project->Resolve(flags.dist);
  // A build killed while replacing its outputs is completed first.
  if (Status recovered = RecoverOutputsLocked(dist, StateDirFor(*manifest)); !recovered) {
    sink.Error({}, recovered.error().message);
    return fail(kExitBuildError);
  }
  std::string path = dist + "/report.json";
  Result<std::string> text = ReadFile(path, kReportFile);
  size::Json report = text ? size::Json::parse(*text, nullptr, false) : size::Json();
  if (!report.is_object() || !report["variants"].is_array()) {
    sink.Error({path, 0, 0, 1}, text ? "not a wasmship report" : text.error().message,
               {"run `wasmship build -p release` first, or point --dist at a build's output directory"});
    return fail(kExitUsage);
  }
  std::string baseline = flags.baseline.empty() ? "" : project->Resolve(flags.baseline);
  std::optional<size::Json> budgets = CheckReportBudgets(*manifest, baseline, report, sink);
  if (!budgets) return fail(kExitUsage);
  std::vector<std::string> violations = BudgetViolations(*budgets);
  for (const std::string& line : violations) sink.Error({manifest->path, 0, 0, 1}, "budget exceeded: " + line);
  for (const std::string& line : BudgetWarnings(*budgets)) {
    sink.Warning({manifest->path, 0, 0, 1}, "time budget exceeded (advisory): " + line);
  }
  if (!violations.empty()) return fail(kExitBudget);
  PrintDiagnostics(global, sink.diagnostics());  // advisory warnings
  if (!global.quiet) {
    std::cerr << "budgets ok: " << (*budgets)["results"].size() << " checks on " << report["variants"].size()
              << " variants of " << flags.dist << "/report.json (" << report.value("profile", "?") << ")"
              << (baseline.empty() ? "" : ", growth against " + flags.baseline) << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddBudgetCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<BudgetFlags>();
  CLI::App* app = parent.add_subcommand("budget", "Check size and performance budgets");
  app->require_subcommand(1);
  CLI::App* check = app->add_subcommand("check", "Re-check the budgets of a finished build (exit 3 when over)");
  check->add_option("--dist", flags->dist, "The build's output directory (default dist, the release's)")
      ->option_text("DIR");
  check->add_option("--baseline", flags->baseline, "An earlier build's report.json, for growth budgets")
      ->option_text("REPORT.json");
  return {app, [flags, &global] { return RunCheck(*flags, global); }};
}

}  // namespace ws
