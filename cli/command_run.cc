// wasmship run: build what is needed (like cargo run), then run the app as
// a device would: headless, with keys or a script, and report how it felt.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "cli/app_target.h"
#include "cli/build_to_run.h"
#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "cli/project_root.h"
#include "compiler-driver/build_plan.h"
#include "compiler-driver/compiler_driver.h"
#include "compiler-driver/manifest.h"
#include "compiler-driver/output_set.h"
#include "compiler-driver/signing.h"
#include "device-host/app_loader.h"
#include "device-host/device_host.h"
#include "device-host/session/expect_step.h"
#include "feature-matrix/device_matrix.h"
#include "platform/atomic_file.h"
#include "platform/interrupt.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

struct RunFlags {
  std::string profile = "debug";
  std::string device;
  std::string engine;
  std::string bundle;
  std::string base;
  std::string keys;
  std::string script;
  int frames = 0;
  std::string screenshot;
  std::string size = "1280x720";
  std::string trace;
  OutputFormat format = OutputFormat::kText;
};

// What `run` needs from the project: the module, the device, the assets.
struct Target {
  std::string module_path;   // a .wsb (what run built) or what --bundle names
  std::string symbols_path;  // the build's symbol map, when run built the module
  std::optional<Manifest> manifest;
  std::string bundles_dir;   // dist/bundles: where a delta's base may be
  std::string assets_dir;
  std::optional<Device> device;
  std::string cache_dir;
};

// Builds (unless --bundle) and works out the device and assets.
std::optional<Target> Prepare(const RunFlags& flags, const GlobalOptions& global, int& exit_code) {
  DiagnosticSink sink;
  std::optional<ProjectRoot> project = EnterProjectRoot(global, flags.format);
  if (!project) {
    exit_code = kExitUsage;
    return std::nullopt;
  }
  std::optional<Manifest> manifest = LoadManifest(project->manifest, sink);
  if (!manifest) {
    exit_code = Fail(global, kExitUsage, sink, flags.format);
    return std::nullopt;
  }
  Target target;
  bool failed = false;
  target.device = ChooseDevice(*manifest, flags.device, sink, failed);
  if (failed) {
    exit_code = Fail(global, kExitUsage, sink, flags.format);
    return std::nullopt;
  }
  if (!manifest->assets_dir.empty()) target.assets_dir = project->root + "/" + manifest->assets_dir;
  target.manifest = manifest;
  std::string out_dir = OutputDirFor(project->root, flags.profile);
  target.bundles_dir = out_dir + "/bundles";
  target.cache_dir = CacheDirFor(*manifest);
  if (!flags.bundle.empty()) {
    // A build killed while replacing its outputs is completed first.
    if (Status recovered = RecoverOutputsLocked(out_dir, StateDirFor(*manifest)); !recovered) {
      sink.Error({}, recovered.error().message);
      exit_code = Fail(global, kExitBuildError, sink, flags.format);
      return std::nullopt;
    }
    target.module_path = project->Resolve(flags.bundle);
    return target;
  }
  // Only the device's own variant: like cargo run, build what runs.
  std::vector<std::string> devices;
  if (target.device) devices = {target.device->name};
  std::optional<BuildOutcome> built =
      BuildToRun(project->manifest, flags.profile, std::move(devices), global, flags.format, exit_code);
  if (!built) return std::nullopt;
  target.module_path = built->bundle_path;
  target.bundles_dir = built->out_dir + "/bundles";
  target.symbols_path = built->symbols_path;
  return target;
}

// The module to run, loaded as the device would load it; a plain .wasm
// named with --bundle is checked against the device's features here (a
// device is never given one).
Result<host::LoadedApp, host::LoadError> Load(const Target& target, const std::string& base,
                                              const bundle::PublicKey* key, bool named) {
  const Device* device = target.device ? &*target.device : nullptr;
  Result<host::LoadedApp, host::LoadError> app =
      host::LoadApp({target.module_path, base, target.bundles_dir, device, key});
  if (!app || app->from_bundle || !named || device == nullptr) return app;
  std::string names;
  for (const std::string& name : device->features.Names()) names += (names.empty() ? "" : ",") + name;
  std::optional<opt::Features> features = opt::ParseFeatureList(names);
  Status valid = features ? opt::ValidateFeatures(app->wasm, *features) : Status(Error{"unknown feature"});
  if (valid) return app;
  return host::LoadError{host::LoadErrorKind::kRefused,
                         "device '" + device->name + "' cannot run this module: " + valid.error().message,
                         {"build the device's own variant: wasmship build --device " + device->name}};
}

// --keys first, then the --script steps.
std::optional<std::vector<host::Step>> Steps(const RunFlags& flags, DiagnosticSink& sink) {
  std::vector<host::Step> steps;
  if (!flags.keys.empty()) {
    auto keys = host::ParseKeyList(flags.keys, sink);
    if (!keys) return std::nullopt;
    steps = *keys;
  }
  if (!flags.script.empty()) {
    auto script = host::LoadKeyScript(flags.script, sink);
    if (!script) return std::nullopt;
    steps.insert(steps.end(), script->begin(), script->end());
  }
  return steps;
}

// Why --trace's path cannot be written, checked before anything is built or
// run; empty when it can (the file itself is written at the end, atomically).
// Messages name the path as the user wrote it (`shown`).
std::string TracePathProblem(const std::string& path, const std::string& shown) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "--trace " + shown + " is a directory";
  fs::path parent = fs::path(path).parent_path();
  std::string shown_parent = fs::path(shown).parent_path().string();
  if (shown_parent.empty()) shown_parent = ".";
  if (!fs::is_directory(parent, ec)) return "--trace " + shown + ": the directory " + shown_parent + " does not exist";
  if (access(parent.c_str(), W_OK) != 0) return "--trace " + shown + ": the directory " + shown_parent + " is not writable";
  return "";
}

int RunRun(const RunFlags& flags, const GlobalOptions& global) {
  std::string original_cwd = fs::current_path().string();
  auto resolve = [&](const std::string& p) { return p.empty() || p[0] == '/' ? p : original_cwd + "/" + p; };
  host::RunOptions options;
  DiagnosticSink sink;
  if (!ParseSize(flags.size, options.width, options.height)) {
    return Fail(global, kExitUsage, "--size '" + flags.size + "' is not WIDTHxHEIGHT", {"for example --size 1920x1080"},
                flags.format);
  }
  RunFlags resolved = flags;
  resolved.script = resolve(flags.script);
  std::optional<std::vector<host::Step>> steps = Steps(resolved, sink);
  if (!steps) return Fail(global, kExitUsage, sink, flags.format);
  for (host::Step& step : *steps) {
    step.path = resolve(step.path);
    // A script's screenshot_matches compares with the golden `test` keeps (never records it).
    if (!step.expect.screenshot_matches.empty()) {
      step.expect.golden_path = host::GoldenPathFor(fs::path(resolved.script).parent_path().string(),
                                                    step.expect.screenshot_matches, options.width, options.height);
    }
  }
  options.trace_path = resolve(flags.trace);
  if (std::string problem = options.trace_path.empty() ? "" : TracePathProblem(options.trace_path, flags.trace); !problem.empty()) {
    return Fail(global, kExitUsage, problem, {"name a file in an existing directory, e.g. --trace trace.json"},
                flags.format);
  }
  InterruptCatcher interrupts;
  int exit_code = kExitOk;
  std::optional<Target> target = Prepare(flags, global, exit_code);
  if (!target) return exit_code;
  // The project's signing key verifies bundles.
  Result<std::optional<bundle::PublicKey>> key = LoadVerifyingKey("", target->manifest ? &*target->manifest : nullptr);
  if (!key) return Fail(global, kExitUsage, key.error().message, {}, flags.format);
  Result<host::LoadedApp, host::LoadError> app =
      Load(*target, resolve(flags.base), *key ? &**key : nullptr, !flags.bundle.empty());
  if (!app) return Fail(global, ExitCodeFor(app.error().kind), app.error().message, app.error().notes, flags.format);
  options.wasm = std::move(app->wasm);
  options.symbols = ReadSymbolMap(!target->symbols_path.empty() ? target->symbols_path : app->symbols_path);
  options.steps = std::move(*steps);
  options.frames = flags.frames;
  options.screenshot = resolve(flags.screenshot);
  options.assets_dir = target->assets_dir;
  options.cache_dir = target->cache_dir;
  options.engine = EngineFor(flags.engine, target->device);
  if (target->device) options.memory_limit = target->device->memory;
  if (const char* watchdog = std::getenv("WASMSHIP_WATCHDOG_MS"); watchdog != nullptr && std::atoi(watchdog) > 0) {
    options.watchdog_ms = static_cast<uint32_t>(std::atoi(watchdog));
  }
  bool json = flags.format == OutputFormat::kJson;
  std::ostream& app_out = json ? std::cerr : std::cout;
  host::RunResult result = host::RunApp(options, app_out, std::cerr);
  if (InterruptRequested()) {
    std::cerr << "wasmship: interrupted\n";
    return InterruptExitCode();
  }
  if (!result.ok && options.engine == "aot" && flags.engine.empty() &&
      result.error.kind == host::RunErrorKind::kEngineCannotRun) {
    std::cerr << "wasmship: the device's aot engine cannot run this build; running it with interp\n";
    options.engine = "interp";
    result = host::RunApp(options, app_out, std::cerr);
    if (InterruptRequested()) return InterruptExitCode();
  }
  if (!result.ok) {
    return Fail(global, ExitCodeFor(result.error.kind), result.error.message, result.error.notes, flags.format);
  }
  if (json) {
    std::cout << host::ReportJson(result.report);
  } else if (!global.quiet) {
    std::cerr << host::ReportText(result.report);
  }
  return result.report.traps.empty() ? kExitOk : kExitAppTrapped;
}

}  // namespace

Command AddRunCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* app = parent.add_subcommand("run", "Build (if needed) and run the app as a device would, headless");
  app->add_option("-p,--profile", flags->profile, "Build profile (default debug)")->option_text("PROFILE");
  app->add_option("--device", flags->device, "Device from devices.yaml (default: the first)")->option_text("D");
  app->add_option("--engine", flags->engine, "interp or aot (default: the device's)")
      ->check(CLI::IsMember({"interp", "aot"}))
      ->option_text("interp|aot");
  app->add_option("--bundle", flags->bundle, "Run this bundle (.wsb) or module (.wasm) instead of building")
      ->option_text("FILE");
  app->add_option("--base", flags->base,
                  "For a delta bundle: the bundle the device has (default: found in the profile's bundles/)")
      ->option_text("FILE");
  app->add_option("--keys", flags->keys, "Keys to press: up,down,left,right,select,back or a character")
      ->option_text("k1,k2,..");
  app->add_option("--script", flags->script, "YAML steps: - key: right / - wait: 200ms / - screenshot: a.png")
      ->option_text("FILE.yaml");
  app->add_option("--frames", flags->frames, "Run at least N frames")->check(CLI::Range(0, 1000000))->option_text("N");
  app->add_option("--screenshot", flags->screenshot, "Write the last frame as PNG")->option_text("FILE.png");
  app->add_option("--size", flags->size, "Screen size (default 1280x720)")->option_text("WxH");
  app->add_option("--trace", flags->trace,
                  "Write a Chrome/Perfetto trace (frames, systems, composables, host calls, inputs)")
      ->option_text("FILE.json");
  AddFormatOption(*app, flags->format, {OutputFormat::kText, OutputFormat::kJson},
                  "Report format on stdout/stderr: text or json");
  return {app, [flags, &global] { return RunRun(*flags, global); }};
}

}  // namespace ws
