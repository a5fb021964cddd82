// The report formats a command can print (`--format NAME`): one list of
// names and one parser, so that a command offers a subset and CLI11 refuses
// the rest (exit 2), and a format added here fails the build wherever a
// switch over formats leaves it out (-Wswitch, an error under -Werror).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "size-reports/size_reports.h"

namespace ws {

enum class OutputFormat { kText, kJson, kMarkdown, kHtml };

std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
const char* OutputFormatName(OutputFormat format);  // "text", "json", "md", "html"

// The size-reports renderer of a format.
size::Format SizeReportFormat(OutputFormat format);

// Adds `--format` to `app`, accepting the names of `offered` only.
CLI::Option* AddFormatOption(CLI::App& app, OutputFormat& format, const std::vector<OutputFormat>& offered,
                             const std::string& description);

}  // namespace ws
