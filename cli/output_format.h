// The formats a command can print (`--format NAME`): size-reports' list of
// formats and their names, parsed by one option, so that a command
// offers a subset and CLI11 refuses the rest (exit 2).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "size-reports/size_reports.h"

namespace ws {

using OutputFormat = size::Format;

// Adds `--format` to `app`, accepting the names of `offered` only.
CLI::Option* AddFormatOption(CLI::App& app, OutputFormat& format, const std::vector<OutputFormat>& offered,
                             const std::string& description);

}  // namespace ws
