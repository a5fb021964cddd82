// wasmship build: compile and link the project into dist/.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/build_progress.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/perf_run.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "cli/project_root.h"
#include "cli/remote_cache_opener.h"
#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/shard.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

struct BuildFlags {
  std::string profile = "debug";
  std::vector<std::string> devices;
  bool all_devices = false;
  std::string out_dir;
  size_t jobs = 0;
  OutputFormat format = OutputFormat::kText;
  std::string baseline;
  std::string baseline_bundle_dir;
  bool no_budget = false;
  std::string shard;  // K/N
};

std::string HumanBytes(uint64_t bytes) {
  char text[32];
  if (bytes < 1024) {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f KiB", bytes / 1024.0);
  } else {
    std::snprintf(text, sizeof text, "%.2f MiB", bytes / (1024.0 * 1024.0));
  }
  return text;
}

const char* StatusName(BuildStatus status) {
  switch (status) {
    case BuildStatus::kOk: return "ok";
    case BuildStatus::kConfigError: return "config-error";
    case BuildStatus::kBuildError: return "build-error";
    case BuildStatus::kBudgetExceeded: return "budget-exceeded";
    case BuildStatus::kInterrupted: return "interrupted";
    case BuildStatus::kPerfScriptTrapped: return "perf-script-trapped";
  }
  return "build-error";
}

// Relative to the project when inside it.
std::string DisplayPath(const std::string& path, const std::string& root) {
  std::string relative = fs::path(path).lexically_relative(root).string();
  return relative.empty() || relative.rfind("..", 0) == 0 ? path : relative;
}

// What a build that did not finish left in its output directory: only
// "unchanged" when it is.
std::string OutputsState(const BuildOutcome& outcome, const std::string& out) {
  if (outcome.outputs_replaced) {
    return out + "/ has this build's outputs (the interrupt came after they were written)";
  }
  if (!outcome.outputs_intact) {
    return out + "/ could not be restored to the previous build's outputs; the next wasmship build, "
                 "run or budget check in this project finishes replacing them";
  }
  return "the previous output is unchanged (" + out + "/)";
}

void PrintSummary(const BuildOutcome& outcome, const std::string& root) {
  const BuildReport& r = outcome.report;
  size_t cached = r.CountCache(CacheStatus::kHit);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2fs", r.total_ms / 1000.0);
  std::cerr << "Finished " << r.profile << " build of " << r.app << " " << r.version << " in " << seconds;
  if (outcome.up_to_date) {
    std::cerr << " (up to date)";
  } else {
    std::cerr << ": " << (r.units.size() - cached) << " compiled, " << cached << " cached";
  }
  std::cerr << ", in " << DisplayPath(outcome.out_dir, root) << "/\n";
  for (const nlohmann::ordered_json& v : outcome.document["variants"]) {
    std::string devices;
    for (const auto& d : v["devices"]) devices += (devices.empty() ? "" : ", ") + d.get<std::string>();
    std::string line = "  " + v["name"].get<std::string>() + ": " + v["module"]["file"].get<std::string>() + " (" +
                       HumanBytes(v["module"]["bytes"]) + ")";
    if (v.contains("bundle")) {
      line += ", " + v["bundle"]["file"].get<std::string>() + " (" + HumanBytes(v["bundle"]["bytes"]) +
              (v["bundle"]["signed"].get<bool>() ? ", signed" : ", unsigned") + ")";
    }
    if (v.contains("delta")) line += ", delta " + HumanBytes(v["delta"]["bytes"]);
    std::cerr << line << (devices.empty() ? "" : " for " + devices) << "\n";
  }
}

void PrintJson(const BuildOutcome& outcome, const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json json = {{"status", StatusName(outcome.status)}};
  if (outcome.status == BuildStatus::kOk || outcome.status == BuildStatus::kBudgetExceeded) {
    json["module"] = outcome.module_path;
    json["bundle"] = outcome.bundle_path;
    json["report"] = outcome.document;
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diagnostics) {
    list.push_back({{"level", d.level == Level::kError ? "error" : "warning"},
                    {"message", d.message},
                    {"file", d.span.file},
                    {"line", d.span.line},
                    {"column", d.span.column}});
  }
  json["diagnostics"] = list;
  std::cout << json.dump(2) << "\n";
}

// SOURCE_DATE_EPOCH (reproducible builds): the bundles' `created`, else 0.
std::optional<int64_t> SourceDateEpoch(const GlobalOptions& global) {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  long long seconds = std::strtoll(text, &end, 10);
  if (*end != '\0' || seconds < 0) {
    Fail(global, kExitUsage, "SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '" + std::string(text) + "'");
    return std::nullopt;
  }
  return seconds;
}

int RunBuild(const BuildFlags& flags, const GlobalOptions& global) {
  std::optional<ProjectRoot> project = EnterProjectRoot(global, flags.format);
  if (!project) return kExitUsage;
  InterruptCatcher interrupts;
  BuildProgress progress(global);
  BuildOptions options;
  options.manifest_path = project->manifest;
  options.profile = flags.profile;
  options.out_dir = flags.out_dir.empty() ? "" : project->Resolve(flags.out_dir);
  options.jobs = flags.jobs;
  options.devices = flags.devices;
  options.all_devices = flags.all_devices;
  options.color = progress.color();
  options.self = SelfExecutable();
  options.open_remote_cache = OpenBuildRemoteCache;
  options.tool_version = WasmshipVersion();
  options.baseline_report = flags.baseline.empty() ? "" : project->Resolve(flags.baseline);
  options.baseline_bundle_dir = flags.baseline_bundle_dir.empty() ? "" : project->Resolve(flags.baseline_bundle_dir);
  options.check_budgets = !flags.no_budget;
  options.perf_runner = RunPerfScript;
  if (!flags.shard.empty()) {
    Result<ShardSpec> shard = ParseShard(flags.shard);
    if (!shard) {
      Fail(global, kExitUsage, shard.error().message);
      return kExitUsage;
    }
    options.shard_index = shard->index;
    options.shard_count = shard->count;
    // A shard is a part of every device's variants unless --device says which.
    if (flags.devices.empty()) options.all_devices = true;
  }
  std::optional<int64_t> created = SourceDateEpoch(global);
  if (!created) return kExitUsage;
  options.created = *created;
  DiagnosticSink sink;
  BuildOutcome outcome = Build(options, progress, sink);
  progress.ClearLine();
  PrintDiagnostics(global, sink.diagnostics());
  if (flags.format == OutputFormat::kJson) PrintJson(outcome, sink.diagnostics());
  std::string out = DisplayPath(outcome.out_dir.empty() ? "dist" : outcome.out_dir, project->root);
  if (outcome.status == BuildStatus::kInterrupted || outcome.status == BuildStatus::kBuildError) {
    bool interrupted = outcome.status == BuildStatus::kInterrupted;
    std::cerr << "wasmship: build " << (interrupted ? "interrupted" : "failed") << "; " << OutputsState(outcome, out)
              << "\n";
  } else if (outcome.status == BuildStatus::kPerfScriptTrapped) {
    std::cerr << "wasmship: the app trapped in the perf script (see above); " << OutputsState(outcome, out) << "\n";
  } else if (outcome.status == BuildStatus::kBudgetExceeded) {
    std::cerr << "wasmship: budgets exceeded (see above; " << out << "/report.md has the details); "
                 "`--no-budget` builds without checking\n";
  } else if (outcome.status == BuildStatus::kOk && !global.quiet && !flags.shard.empty() &&
             outcome.report.variants.empty()) {
    std::cerr << "Shard " << flags.shard << " has no variants to build (more shards than variants); "
              << out << "/shard.json records it for `wasmship merge`\n";
  } else if (outcome.status == BuildStatus::kOk && !global.quiet) {
    PrintSummary(outcome, project->root);
  }
  return ExitCodeFor(outcome.status);
}

}  // namespace

Command AddBuildCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<BuildFlags>();
  CLI::App* app = parent.add_subcommand(
      "build", "Compile and link the project into dist/ (dist/<profile>/ for profiles other than release)");
  app->add_option("-p,--profile", flags->profile, "Build profile: debug (default) or release")
      ->option_text("PROFILE");
  app->add_option("--device", flags->devices, "Build this device's variant (repeatable; default: the first device)")
      ->option_text("D");
  app->add_flag("--all-devices", flags->all_devices, "Build every device's variant (the default when CI is set)");
  app->add_option("-j,--jobs", flags->jobs, "Parallel compile jobs (default: one per core)")
      ->check(CLI::Range(1, 1024))
      ->option_text("N");
  app->add_option("--out", flags->out_dir,
                  "Output directory (default: dist/ for release, dist/<profile>/ otherwise)")
      ->option_text("DIR");
  app->add_option("--baseline", flags->baseline, "An earlier build's report.json: budgets' growth is measured against it")
      ->option_text("REPORT.json");
  app->add_option("--baseline-bundle-dir", flags->baseline_bundle_dir,
                  "An earlier release's dist/: also write delta bundles against its bundles")
      ->option_text("DIR");
  app->add_flag("--no-budget", flags->no_budget, "Do not check size and performance budgets");
  app->add_option("--shard", flags->shard,
                  "Build shard K of N of the variants (CI; implies --all-devices); `wasmship merge` joins the shards")
      ->option_text("K/N");
  AddFormatOption(*app, flags->format, {OutputFormat::kText, OutputFormat::kJson},
                  "Summary format on stdout: text or json");
  return {app, [flags, &global] { return RunBuild(*flags, global); }};
}

}  // namespace ws
