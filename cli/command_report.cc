// wasmship report diff BASE.json HEAD.json: size and build-time changes
// between two builds' reports, per variant and component, with a verdict.
// Growth under --threshold (0.5%) and build timings (unless --timings) are
// shown but are no regression.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "platform/atomic_file.h"
#include "size-reports/size_reports.h"

namespace ws {
namespace {

struct ReportFlags {
  std::string base;
  std::string head;
  OutputFormat format = OutputFormat::kMarkdown;
  std::string threshold = "0.5%";
  bool timings = false;
};

// "0.5%", "2%" or "0": a share of the base, in percent.
std::optional<double> ParsePercent(const std::string& text) {
  std::string number = text.ends_with("%") ? text.substr(0, text.size() - 1) : text;
  char* end = nullptr;
  double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  bool valid = !number.empty() && *end == '\0' && std::isfinite(value) && value >= 0 && value <= 1000;
  return valid ? std::optional<double>(value) : std::nullopt;
}

Result<size::Json> Load(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return Error{text.error().message};
  size::Json report = size::Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!report.is_object() || !report["variants"].is_array()) {
    return Error{path + " is not a wasmship report.json (no `variants`)"};
  }
  return report;
}

int RunDiff(const ReportFlags& flags, const GlobalOptions& global) {
  std::optional<double> threshold = ParsePercent(flags.threshold);
  if (!threshold) {
    return Fail(global, kExitUsage, "--threshold '" + flags.threshold + "' is not a percentage",
                {"write it like 0.5% (0 makes any growth a regression)"});
  }
  Result<size::Json> base = Load(flags.base);
  Result<size::Json> head = base ? Load(flags.head) : Result<size::Json>(Error{""});
  if (!base || !head) return Fail(global, kExitUsage, !base ? base.error().message : head.error().message);
  size::DiffOptions options{.size_threshold_percent = *threshold, .timings = flags.timings};
  size::ReportDiff diff = size::DiffReports(*base, *head, flags.format, options);
  std::cout << diff.text;
  return kExitOk;
}

}  // namespace

Command AddReportCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* app = parent.add_subcommand("report", "Compare build reports");
  app->require_subcommand(1);
  CLI::App* diff = app->add_subcommand("diff", "Size and build-time regressions from BASE to HEAD");
  diff->add_option("base", flags->base, "The earlier report.json")->required();
  diff->add_option("head", flags->head, "The later report.json")->required();
  AddFormatOption(*diff, flags->format, {OutputFormat::kMarkdown, OutputFormat::kText}, "md (default) or text");
  diff->add_option("--threshold", flags->threshold,
                   "Bundle or module growth below this share of the base is no regression (default 0.5%)")
      ->option_text("PERCENT");
  diff->add_flag("--timings", flags->timings, "Build-time growth (> 25% and > 200 ms) is a regression too");
  return {app, [flags, &global] { return RunDiff(*flags, global); }};
}

}  // namespace ws
