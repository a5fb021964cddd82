// wasmship: build, run and ship WebAssembly UI apps to living-room devices.
#include <unistd.h>

#include <filesystem>
#include <cstdlib>
#include <iostream>
#include <map>
#include <vector>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"

#ifndef WASMSHIP_VERSION
#define WASMSHIP_VERSION "0.0.0"
#endif

namespace ws {
namespace {

constexpr const char* kFooter = R"(
Exit codes: 0 ok, 1 build error or a test failed, 2 usage or configuration error, 3 budget exceeded,
            4 the app trapped during run, 5 bundle verification failed
            (or an update refused).
Run `wasmship COMMAND --help` for the options of a command.)";

void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  app.add_flag("-v,--verbose", global.verbose, "Print every command wasmship runs");
  app.add_flag("-q,--quiet", global.quiet, "Print only errors");
  std::map<std::string, ColorMode> colors = {
      {"auto", ColorMode::kAuto}, {"always", ColorMode::kAlways}, {"never", ColorMode::kNever}};
  app.add_option("--color", global.color, "Color output: auto (a terminal, not CI), always, never")
      ->transform(CLI::CheckedTransformer(colors, CLI::ignore_case))
      ->option_text("auto|always|never");
  app.add_option("-C", global.directory, "Run as if started in DIR")->option_text("DIR");
}

}  // namespace

const char* WasmshipVersion() { return WASMSHIP_VERSION; }

std::string SelfExecutable() {
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  return ec ? std::string("wasmship") : self;
}

namespace {

int Run(int argc, char** argv) {
  CLI::App app("wasmship: build, run and ship WebAssembly UI apps to living-room devices", "wasmship");
  app.set_version_flag("--version", "wasmship " WASMSHIP_VERSION);
  app.footer(kFooter);
  app.fallthrough();
  app.require_subcommand(0, 1);
  GlobalOptions global;
  AddGlobalOptions(app, global);
  std::vector<Command> commands = {
      AddNewCommand(app, global),
      AddBuildCommand(app, global),
      AddRunCommand(app, global),
      AddTestCommand(app, global),
      AddDevCommand(app, global),
      AddExpandCommand(app, global),
      AddInternalOptimizeCommand(app, global),
      AddMatrixCommand(app, global),
      AddKeygenCommand(app, global),
      AddMergeCommand(app, global),
      AddCacheCommand(app, global),
      AddBundleCommand(app, global),
      AddSizeCommand(app, global),
      AddBudgetCommand(app, global),
      AddReportCommand(app, global),
      AddRepoCommand(app, global),
      AddPublishCommand(app, global),
      AddRolloutCommand(app, global),
      AddDeviceCommand(app, global),
      AddSymbolicateCommand(app, global),
      AddInternalPackageCommand(app, global),
      AddDoctorCommand(app, global),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    global.stderr_color = UseColor(global.color, STDERR_FILENO);
    return Fail(global, kExitUsage, e.what(), {"run `wasmship --help` for usage"});
  }
  global.stderr_color = UseColor(global.color, STDERR_FILENO);
  global.stdout_color = UseColor(global.color, STDOUT_FILENO);
  if (!global.directory.empty() && ::chdir(global.directory.c_str()) != 0) {
    return Fail(global, kExitUsage, "cannot change to directory '" + global.directory + "'");
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  std::cerr << app.help() << "\n";
  return Fail(global, kExitUsage, "no command given");
}

}  // namespace
}  // namespace ws

int main(int argc, char** argv) {
  // An empty SOURCE_DATE_EPOCH means unset, as for other tools; the clang we
  // spawn would reject the empty value, so drop it before any command runs.
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch == '\0') {
    unsetenv("SOURCE_DATE_EPOCH");
  }
  try {
    return ws::Run(argc, argv);
  } catch (const std::exception& e) {
    // Libraries return errors as values; reaching this is a wasmship bug.
    std::cerr << "wasmship: internal error: " << e.what() << "\n";
    return ws::kExitBuildError;
  }
}
