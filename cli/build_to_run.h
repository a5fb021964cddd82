// The build `run` and `test` do before running an app (like `cargo run`):
// only the devices' variants, budgets unchecked (running is not shipping),
// progress on the terminal, and an interrupt or a failure turned into the
// command's exit code. One copy, so the two commands agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/output_format.h"
#include "compiler-driver/compiler_driver.h"

namespace ws {

// Builds `devices`' variants of the project at `manifest_path` with
// `profile`. nullopt, with `exit_code` set and the diagnostics printed in
// `format`, when the build failed or was interrupted.
std::optional<BuildOutcome> BuildToRun(const std::string& manifest_path, const std::string& profile,
                                       std::vector<std::string> devices, const GlobalOptions& global,
                                       OutputFormat format, int& exit_code);

}  // namespace ws
