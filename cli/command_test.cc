// wasmship test: the app's own scenarios (tests/*.yaml) run on every variant
// and engine its devices need, with expect steps checked and screens
// compared with goldens (docs/testing.md). Builds first, like `run`.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "app-test/scenario_set.h"
#include "app-test/test_results.h"
#include "cli/app_target.h"
#include "cli/build_to_run.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/project_root.h"
#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"
#include "compiler-driver/signing.h"
#include "device-host/app_loader.h"
#include "device-host/device_host.h"
#include "feature-matrix/device_matrix.h"
#include "platform/atomic_file.h"
#include "platform/elapsed.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using apptest::CaseResult;
using apptest::Outcome;
using Clock = std::chrono::steady_clock;

enum class TestFormat { kText, kJson, kJunit };

// Where a run's screenshots and a mismatch's actual and diff images go:
// <project>/dist/test-results/<scenario>/<variant>.<engine>/ (cleared each run).
constexpr const char* kEvidenceDir = "dist/test-results";

struct TestFlags {
  std::vector<std::string> scenarios;
  std::vector<std::string> devices;
  std::string engine;
  std::string profile = "debug";
  std::string size = "1280x720";
  std::string output;
  bool update_goldens = false;
  TestFormat format = TestFormat::kText;
};

// One variant on one engine, for the devices that share it.
struct RunPlan {
  std::vector<std::string> devices;
  std::optional<Device> device;  // the first of them (load checks, memory); none without devices.yaml
  std::string variant;
  std::string bundle;
  std::string engine;
  std::string skipped;  // why it does not run, when it does not
  std::vector<std::string> notes;
};

struct Project {
  ProjectRoot root;
  Manifest manifest;
  std::vector<Device> devices;  // chosen; empty without devices.yaml
};

OutputFormat DiagnosticFormat(const TestFlags& flags) {
  return flags.format == TestFormat::kJson ? OutputFormat::kJson : OutputFormat::kText;
}

// The manifest and the chosen devices (--device, else all of devices.yaml).
std::optional<Project> LoadProject(const TestFlags& flags, const GlobalOptions& global, int& exit_code) {
  exit_code = kExitUsage;
  std::optional<ProjectRoot> root = EnterProjectRoot(global, DiagnosticFormat(flags));
  if (!root) return std::nullopt;
  DiagnosticSink sink;
  std::optional<Manifest> manifest = LoadManifest(root->manifest, sink);
  if (!manifest) {
    exit_code = Fail(global, kExitUsage, sink, DiagnosticFormat(flags));
    return std::nullopt;
  }
  Project project{*root, *manifest, {}};
  if (manifest->devices_file.empty()) {
    bool failed = false;
    ChooseDevice(*manifest, flags.devices.empty() ? "" : flags.devices.front(), sink, failed);
    if (failed) exit_code = Fail(global, kExitUsage, sink, DiagnosticFormat(flags));
    return failed ? std::nullopt : std::optional<Project>(std::move(project));
  }
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(manifest->devices_file, sink);
  if (matrix && flags.devices.empty()) project.devices = matrix->devices;
  for (const std::string& name : flags.devices) {
    const Device* device = matrix ? FindDevice(*matrix, name, sink) : nullptr;
    bool repeated = std::any_of(project.devices.begin(), project.devices.end(),
                                [&](const Device& d) { return device && d.name == device->name; });
    if (device != nullptr && !repeated) project.devices.push_back(*device);
  }
  if (sink.HasErrors()) {
    exit_code = Fail(global, kExitUsage, sink, DiagnosticFormat(flags));
    return std::nullopt;
  }
  return project;
}

// Builds the chosen devices' variants (budgets unchecked: testing is not shipping).
std::optional<BuildOutcome> BuildVariants(const TestFlags& flags, const Project& project, const GlobalOptions& global,
                                          int& exit_code) {
  std::vector<std::string> devices;
  for (const Device& d : project.devices) devices.push_back(d.name);
  return BuildToRun(project.root.manifest, flags.profile, std::move(devices), global, DiagnosticFormat(flags),
                    exit_code);
}

// One plan per distinct (variant, engine, memory) among the devices, in
// devices.yaml order; aot that cannot run a variant is decided when it runs.
std::vector<RunPlan> PlanRuns(const TestFlags& flags, const Project& project, const BuildOutcome& built) {
  std::vector<RunPlan> plans;
  auto bundle_of = [&](const VariantReport& v) { return (fs::path(built.out_dir) / v.bundle_file).string(); };
  if (project.devices.empty() && !built.report.variants.empty()) {
    const VariantReport& v = built.report.variants.front();
    plans.push_back({{}, std::nullopt, v.name, bundle_of(v), flags.engine.empty() ? "interp" : flags.engine, "", {}});
    return plans;
  }
  for (const Device& device : project.devices) {
    auto variant = std::find_if(built.report.variants.begin(), built.report.variants.end(), [&](const VariantReport& v) {
      return std::find(v.devices.begin(), v.devices.end(), device.name) != v.devices.end();
    });
    if (variant == built.report.variants.end()) continue;  // the build made no variant for it (cannot happen)
    std::string engine = EngineFor(flags.engine, device);
    auto same = std::find_if(plans.begin(), plans.end(), [&](const RunPlan& p) {
      return p.variant == variant->name && p.engine == engine && p.device->memory == device.memory;
    });
    if (same != plans.end()) {
      same->devices.push_back(device.name);
    } else {
      plans.push_back({{device.name}, device, variant->name, bundle_of(*variant), engine, "", {}});
    }
  }
  return plans;
}

struct Runner {
  const TestFlags& flags;
  const Project& project;
  const std::vector<apptest::Scenario>& scenarios;
  std::vector<RunPlan>& plans;
  std::optional<bundle::PublicKey> key;
  int width = 0, height = 0;
  std::set<std::string> recorded;  // goldens claimed by --update-goldens
};

CaseResult CaseFor(const apptest::Scenario& scenario, const RunPlan& plan, const Runner& r) {
  CaseResult c;
  c.scenario = scenario.name;
  c.file = scenario.display;
  c.devices = plan.devices;
  c.variant = plan.variant;
  c.engine = plan.engine;
  c.size = std::to_string(r.width) + "x" + std::to_string(r.height);
  c.notes = plan.notes;
  return c;
}

void FailCase(CaseResult& c, std::string message, const std::vector<std::string>& notes = {}) {
  c.outcome = Outcome::kFailed;
  c.failures.push_back({c.file, 0, "run", std::move(message), "", "", "", -1});
  c.notes.insert(c.notes.end(), notes.begin(), notes.end());
}

// The aot engine cannot run this plan's variant: interp instead (as `run`
// falls back), unless --engine asked for aot or interp already covers it.
bool FallBack(RunPlan& plan, const Runner& r, const host::RunError& error) {
  bool covered = std::any_of(r.plans.begin(), r.plans.end(), [&](const RunPlan& p) {
    return &p != &plan && p.variant == plan.variant && p.engine == "interp";
  });
  if (!r.flags.engine.empty() || covered) {
    plan.skipped = error.message + (covered ? " (the variant runs on interp for other devices)" : "");
    return false;
  }
  plan.engine = "interp";
  plan.notes.push_back("ran on interp, as `run` does: " + error.message);
  return true;
}

// One scenario on one plan.
CaseResult RunCase(const apptest::Scenario& scenario, RunPlan& plan, const host::RunOptions& base, Runner& r) {
  if (!plan.skipped.empty()) {
    CaseResult c = CaseFor(scenario, plan, r);
    c.outcome = Outcome::kSkipped;
    c.notes.push_back(plan.skipped);
    return c;
  }
  apptest::RunLayout layout{r.width, r.height,
                            (fs::path(r.project.root.root) / kEvidenceDir / scenario.name /
                             (plan.variant + "." + plan.engine)).string(),
                            r.flags.update_goldens};
  host::RunOptions options = base;
  options.steps = apptest::StepsForRun(scenario, layout, r.recorded);
  std::ostringstream output;
  Clock::time_point start = Clock::now();
  host::RunResult result;
  while (true) {
    options.engine = plan.engine;
    result = host::RunApp(options, output, output);
    bool cannot = !result.ok && result.error.kind == host::RunErrorKind::kEngineCannotRun;
    if (!cannot || plan.engine != "aot" || !FallBack(plan, r, result.error)) break;
  }
  CaseResult c = CaseFor(scenario, plan, r);
  c.ms = MsSince(start);
  c.output = output.str();
  if (!plan.skipped.empty()) {
    c.outcome = Outcome::kSkipped;
    c.notes.push_back(plan.skipped);
  } else if (!result.ok) {
    FailCase(c, result.error.message, result.error.notes);
  } else {
    apptest::AddExpectResults(result.report, r.project.root.root, c);
  }
  return c;
}

// Every scenario on one plan; false when interrupted.
bool RunPlanned(RunPlan& plan, Runner& r, apptest::TestRun& run) {
  const Device* device = plan.device ? &*plan.device : nullptr;
  Result<host::LoadedApp, host::LoadError> app = host::LoadApp(
      {plan.bundle, "", (fs::path(plan.bundle).parent_path()).string(), device, r.key ? &*r.key : nullptr});
  host::RunOptions base;
  base.width = r.width;
  base.height = r.height;
  base.assets_dir = r.project.manifest.assets_dir.empty() ? "" : r.project.root.root + "/" + r.project.manifest.assets_dir;
  base.cache_dir = CacheDirFor(r.project.manifest);
  if (device != nullptr) base.memory_limit = device->memory;
  if (app) {
    base.wasm = std::move(app->wasm);
    base.symbols = ReadSymbolMap(app->symbols_path);
  }
  for (const apptest::Scenario& scenario : r.scenarios) {
    if (!app) {
      CaseResult c = CaseFor(scenario, plan, r);
      FailCase(c, app.error().message, app.error().notes);
      run.cases.push_back(std::move(c));
      continue;
    }
    run.cases.push_back(RunCase(scenario, plan, base, r));
    if (InterruptRequested()) return false;
  }
  return true;
}

std::string Render(const apptest::TestRun& run, const TestFlags& flags, const GlobalOptions& global) {
  switch (flags.format) {
    case TestFormat::kJson: return apptest::RenderJson(run);
    case TestFormat::kJunit: return apptest::RenderJunit(run);
    case TestFormat::kText: break;
  }
  return apptest::RenderText(run, global.verbose);
}

// --scenario files, else tests/*.yaml, read in full before anything is built.
std::optional<std::vector<apptest::Scenario>> LoadScenarioFiles(const TestFlags& flags, const Project& project,
                                                                const GlobalOptions& global) {
  std::vector<std::string> files;
  for (const std::string& s : flags.scenarios) files.push_back(project.root.Resolve(s));
  if (files.empty()) files = apptest::FindScenarioFiles(project.root.root);
  if (files.empty()) {
    Fail(global, kExitUsage, "no scenarios: the project has no tests/*.yaml",
         {"add one (docs/testing.md), for example tests/smoke.yaml:\n  - key: right\n"
          "  - expect: { no_traps: true }",
          "or name files with --scenario FILE.yaml"},
         DiagnosticFormat(flags));
    return std::nullopt;
  }
  DiagnosticSink sink;
  std::optional<std::vector<apptest::Scenario>> scenarios = apptest::LoadScenarios(files, project.root.root, sink);
  if (!scenarios) Fail(global, kExitUsage, sink, DiagnosticFormat(flags));
  return scenarios;
}

// The results on stdout, or in --output (atomically) with the text summary on stderr.
int Report(const apptest::TestRun& run, const TestFlags& flags, const Project& project, const GlobalOptions& global) {
  std::string report = Render(run, flags, global);
  if (!flags.output.empty()) {
    if (Status written = WriteFileAtomically(project.root.Resolve(flags.output), report); !written) {
      return Fail(global, kExitUsage, "cannot write --output: " + written.error().message, {}, DiagnosticFormat(flags));
    }
    if (!global.quiet && flags.format != TestFormat::kText) std::cerr << apptest::RenderText(run, global.verbose);
  } else if (!global.quiet || flags.format != TestFormat::kText) {
    std::cout << report;
  }
  return run.Count(Outcome::kFailed) > 0 ? kExitTestFailed : kExitOk;
}

int RunTest(const TestFlags& flags, const GlobalOptions& global) {
  Clock::time_point start = Clock::now();
  int width = 0, height = 0;
  if (!ParseSize(flags.size, width, height)) {
    return Fail(global, kExitUsage, "--size '" + flags.size + "' is not WIDTHxHEIGHT", {"for example --size 1920x1080"},
                DiagnosticFormat(flags));
  }
  InterruptCatcher interrupts;
  int exit_code = kExitOk;
  std::optional<Project> project = LoadProject(flags, global, exit_code);
  if (!project) return exit_code;
  std::optional<std::vector<apptest::Scenario>> scenarios = LoadScenarioFiles(flags, *project, global);
  if (!scenarios) return kExitUsage;
  std::optional<BuildOutcome> built = BuildVariants(flags, *project, global, exit_code);
  if (!built) return exit_code;
  Result<std::optional<bundle::PublicKey>> key = LoadVerifyingKey("", &project->manifest);
  if (!key) return Fail(global, kExitUsage, key.error().message, {}, DiagnosticFormat(flags));
  std::vector<RunPlan> plans = PlanRuns(flags, *project, *built);
  std::error_code ec;
  fs::remove_all(fs::path(project->root.root) / kEvidenceDir, ec);  // the last run's evidence only
  Runner runner{flags, *project, *scenarios, plans, *key, width, height, {}};
  apptest::TestRun run;
  for (RunPlan& plan : plans) {
    if (!RunPlanned(plan, runner, run)) {
      std::cerr << "wasmship: interrupted\n";
      return InterruptExitCode();
    }
  }
  run.ms = MsSince(start);
  return Report(run, flags, *project, global);
}

}  // namespace

Command AddTestCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<TestFlags>();
  CLI::App* app = parent.add_subcommand("test", "Build (if needed) and run the app's scenarios (tests/*.yaml) "
                                                "on every variant and engine its devices need");
  app->add_option("--scenario", flags->scenarios, "Run this scenario instead of tests/*.yaml (repeatable)")
      ->option_text("FILE.yaml");
  app->add_option("--device", flags->devices, "Only this device's variant and engine (repeatable)")->option_text("D");
  app->add_option("--engine", flags->engine, "Run on this engine instead of each device's own")
      ->check(CLI::IsMember({"interp", "aot"}))
      ->option_text("interp|aot");
  app->add_flag("--update-goldens", flags->update_goldens,
                "Record the screens that screenshot_matches names as the new goldens");
  app->add_option("-p,--profile", flags->profile, "Build profile (default debug: focused_text needs it)")
      ->option_text("PROFILE");
  app->add_option("--size", flags->size, "Screen size (default 1280x720); goldens are kept per size")
      ->option_text("WxH");
  std::map<std::string, TestFormat> formats = {
      {"text", TestFormat::kText}, {"json", TestFormat::kJson}, {"junit", TestFormat::kJunit}};
  app->add_option("--format", flags->format, "Results as text, json or junit (JUnit XML)")
      ->transform(CLI::CheckedTransformer(formats))
      ->option_text("text|json|junit");
  app->add_option("-o,--output", flags->output, "Write the results to FILE (atomically) instead of stdout")
      ->option_text("FILE");
  return {app, [flags, &global] { return RunTest(*flags, global); }};
}

}  // namespace ws
