// wasmship dev: build the device's variant, run it in a preview window (or
// headless, driven over stdin/stdout), watch every input of the build, and
// swap each good rebuild into the running app with its state kept.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/app_target.h"
#include "cli/build_progress.h"
#include "cli/command.h"
#include "cli/dev_build.h"
#include "cli/dev_headless.h"
#include "cli/dev_loop.h"
#include "cli/dev_window.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/project_root.h"
#include "compiler-driver/manifest.h"
#include "platform/file_watcher.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

struct DevFlags {
  std::string profile = "debug";
  std::string device;
  std::string engine;
  std::string size = "1280x720";
  double scale = 0;
  bool headless = false;
};

// Ctrl-C is how a developer ends dev: exit 0. SIGTERM and SIGHUP: 128+N.
int InterruptedExit() { return InterruptSignal() == SIGINT ? kExitOk : InterruptExitCode(); }

// The first build, with the usual progress lines; nothing runs without it.
std::optional<DevBuildResult> FirstBuild(const GlobalOptions& global, DevBuildRequest request,
                                         int& exit_code) {
  BuildProgress progress(global);
  request.forward = &progress;
  DevBuildResult built = DevBuild(request);
  progress.ClearLine();
  PrintDiagnostics(global, built.diagnostics);
  if (built.status == BuildStatus::kInterrupted) {
    std::cerr << "wasmship: interrupted\n";
    exit_code = InterruptedExit();
    return std::nullopt;
  }
  if (built.status != BuildStatus::kOk) {
    std::cerr << "wasmship: the first build failed: nothing to run; fix it and start `wasmship dev` again\n";
    exit_code = ExitCodeFor(built.status);
    return std::nullopt;
  }
  if (!built.loaded) {  // the error is among the diagnostics printed above
    exit_code = kExitBundleInvalid;
    return std::nullopt;
  }
  return built;
}

int RunDev(const DevFlags& flags, const GlobalOptions& global) {
  DevInfo info;
  if (!ParseSize(flags.size, info.width, info.height)) {
    return Fail(global, kExitUsage, "--size '" + flags.size + "' is not WIDTHxHEIGHT",
                {"for example --size 1920x1080"});
  }
  InterruptCatcher interrupts;
  std::optional<ProjectRoot> project = EnterProjectRoot(global);
  if (!project) return kExitUsage;
  DiagnosticSink sink;
  std::optional<Manifest> manifest = LoadManifest(project->manifest, sink);
  if (!manifest) return Fail(global, kExitUsage, sink);
  bool failed = false;
  std::optional<Device> device = ChooseDevice(*manifest, flags.device, sink, failed);
  if (failed || FindProfile(*manifest, flags.profile, sink) == nullptr) return Fail(global, kExitUsage, sink);
  Result<std::unique_ptr<FileWatcher>> watcher = FileWatcher::Create();
  if (!watcher) return Fail(global, kExitUsage, watcher.error().message);

  DevSetup setup;
  setup.root = project->root;
  setup.build.manifest_path = project->manifest;
  setup.build.profile = flags.profile;
  setup.build.device = device;
  setup.build.self = SelfExecutable();
  setup.build.tool_version = WasmshipVersion();
  setup.build.color = global.stderr_color;
  setup.live.engine = EngineFor(flags.engine, device);
  setup.engine_forced = !flags.engine.empty();
  if (device) setup.live.memory_limit = device->memory;
  setup.live.width = info.width;
  setup.live.height = info.height;
  if (!manifest->assets_dir.empty()) setup.live.assets_dir = project->root + "/" + manifest->assets_dir;
  setup.live.cache_dir = CacheDirFor(*manifest);
  if (const char* watchdog = std::getenv("WASMSHIP_WATCHDOG_MS");
      watchdog != nullptr && std::atoi(watchdog) > 0) {
    setup.live.watchdog_ms = static_cast<uint32_t>(std::atoi(watchdog));
  }
  // Headless, stdout carries only events: the app's output goes to stderr.
  setup.app_out = flags.headless ? &std::cerr : &std::cout;
  setup.app_err = &std::cerr;

  info.app = manifest->app_name;
  info.device = device ? device->name : "";
  info.profile = flags.profile;
  info.original_cwd = project->original_cwd;
  HeadlessEvents json_events;
  TextEvents text_events(global);
  DevEvents& events = flags.headless ? static_cast<DevEvents&>(json_events) : text_events;
  // Watching starts before the first build, so a save during it is not missed.
  DevLoop loop(global, setup, events, std::move(*watcher));
  int exit_code = kExitOk;
  std::optional<DevBuildResult> first = FirstBuild(global, setup.build, exit_code);
  if (!first) return exit_code;
  if (std::optional<host::RunError> fatal = loop.Start(std::move(*first))) {
    return Fail(global, ExitCodeFor(fatal->kind), fatal->message, fatal->notes);
  }
  info.engine = loop.engine();
  exit_code = flags.headless ? RunHeadless(loop, info)
                             : RunWindow(global, loop, info, {flags.scale, project->root + "/dist"});
  if (InterruptRequested()) {
    std::cerr << "wasmship: interrupted"
              << (loop.building() ? "; stopping the build (dist/ keeps the last good output)" : "") << "\n";
  } else if (loop.building()) {
    std::cerr << "wasmship: waiting for the build in progress to end...\n";
  }
  return exit_code;  // ~DevLoop waits for the build thread
}

}  // namespace

Command AddDevCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<DevFlags>();
  CLI::App* app = parent.add_subcommand(
      "dev",
      "Run the app in a preview window and hot-reload it on every save (or --headless over stdin/stdout)");
  app->add_option("-p,--profile", flags->profile, "Build profile (default debug)")->option_text("PROFILE");
  app->add_option("--device", flags->device, "Device from devices.yaml (default: the first)")
      ->option_text("D");
  app->add_option("--engine", flags->engine, "interp or aot (default: the device's)")
      ->check(CLI::IsMember({"interp", "aot"}))
      ->option_text("interp|aot");
  app->add_option("--size", flags->size, "Screen size (default 1280x720)")->option_text("WxH");
  app->add_option("--scale", flags->scale,
                  "Window scale (default: the largest up to 1 that fits the display)")
      ->check(CLI::Range(0.1, 8.0))
      ->option_text("S");
  app->add_flag("--headless", flags->headless,
                "No window: commands on stdin, one JSON event a line on stdout (docs/dev.md)");
  return {app, [flags, &global] { return RunDev(*flags, global); }};
}

}  // namespace ws
