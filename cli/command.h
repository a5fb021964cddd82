// Every subcommand lives in its own command_<name>.cc and is registered by
// one Add...Command function below; main.cc wires them up.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "platform/terminal.h"

namespace ws {

// Flags that apply to every subcommand.
struct GlobalOptions {
  bool verbose = false;
  bool quiet = false;
  ColorMode color = ColorMode::kAuto;
  std::string directory;  // -C DIR
  // Decided once in main from `color` and the streams: every command
  // colors (or not) the same way.
  bool stderr_color = false;
  bool stdout_color = false;
};

// A registered subcommand: its CLI11 node and what to run when it was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command AddBuildCommand(CLI::App& parent, const GlobalOptions& global);
Command AddDoctorCommand(CLI::App& parent, const GlobalOptions& global);
Command AddNewCommand(CLI::App& parent, const GlobalOptions& global);
Command AddRunCommand(CLI::App& parent, const GlobalOptions& global);
Command AddTestCommand(CLI::App& parent, const GlobalOptions& global);
Command AddDevCommand(CLI::App& parent, const GlobalOptions& global);
Command AddExpandCommand(CLI::App& parent, const GlobalOptions& global);
Command AddInternalOptimizeCommand(CLI::App& parent, const GlobalOptions& global);
Command AddMatrixCommand(CLI::App& parent, const GlobalOptions& global);

Command AddInternalPackageCommand(CLI::App& parent, const GlobalOptions& global);
Command AddKeygenCommand(CLI::App& parent, const GlobalOptions& global);
Command AddMergeCommand(CLI::App& parent, const GlobalOptions& global);
Command AddCacheCommand(CLI::App& parent, const GlobalOptions& global);
Command AddBundleCommand(CLI::App& parent, const GlobalOptions& global);
Command AddSizeCommand(CLI::App& parent, const GlobalOptions& global);
Command AddBudgetCommand(CLI::App& parent, const GlobalOptions& global);
Command AddReportCommand(CLI::App& parent, const GlobalOptions& global);
// The update repository (docs/update-repo.md).
Command AddRepoCommand(CLI::App& parent, const GlobalOptions& global);
Command AddPublishCommand(CLI::App& parent, const GlobalOptions& global);
Command AddRolloutCommand(CLI::App& parent, const GlobalOptions& global);
Command AddDeviceCommand(CLI::App& parent, const GlobalOptions& global);
Command AddSymbolicateCommand(CLI::App& parent, const GlobalOptions& global);

// The running wasmship binary (builds run it again to expand DSL sources).
std::string SelfExecutable();
// "0.3.0"
const char* WasmshipVersion();

}  // namespace ws
