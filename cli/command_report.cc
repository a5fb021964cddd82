// wasmship report diff BASE.json HEAD.json: size and build-time changes
// between two builds' reports, per variant and component, with a verdict.
#include <iostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "platform/atomic_file.h"
#include "size-reports/size_reports.h"

namespace ws {
namespace {

struct ReportFlags {
  std::string base;
  std::string head;
  std::string format = "md";
};

Result<size::Json> Load(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return Error{text.error().message};
  size::Json report = size::Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!report.is_object() || !report["variants"].is_array()) {
    return Error{path + " is not a wasmship report.json (no `variants`)"};
  }
  return report;
}

int RunDiff(const ReportFlags& flags) {
  Result<size::Json> base = Load(flags.base);
  Result<size::Json> head = base ? Load(flags.head) : Result<size::Json>(Error{""});
  if (!base || !head) {
    std::cerr << "wasmship: error: " << (!base ? base.error().message : head.error().message) << "\n";
    return kExitUsage;
  }
  size::ReportDiff diff =
      size::DiffReports(*base, *head, flags.format == "text" ? size::Format::kText : size::Format::kMarkdown);
  std::cout << diff.text;
  return kExitOk;
}

}  // namespace

Command AddReportCommand(CLI::App& parent, const GlobalOptions&) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* app = parent.add_subcommand("report", "Compare build reports");
  app->require_subcommand(1);
  CLI::App* diff = app->add_subcommand("diff", "Size and build-time regressions from BASE to HEAD");
  diff->add_option("base", flags->base, "The earlier report.json")->required();
  diff->add_option("head", flags->head, "The later report.json")->required();
  diff->add_option("--format", flags->format, "md (default) or text")->check(CLI::IsMember({"md", "text"}));
  return {app, [flags] { return RunDiff(*flags); }};
}

}  // namespace ws
