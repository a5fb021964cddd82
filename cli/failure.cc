#include "cli/failure.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "diagnostics/diagnostic_printer.h"

namespace ws {
namespace {

const char* LevelName(Level level) {
  switch (level) {
    case Level::kNote: return "note";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "error";
}

std::string ErrorJson(int exit_code, const std::vector<Diagnostic>& diagnostics) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics) {
    list.push_back({{"level", LevelName(d.level)},
                    {"file", d.span.file},
                    {"line", d.span.line},
                    {"column", d.span.column},
                    {"message", d.message},
                    {"notes", d.notes}});
  }
  nlohmann::json out = {{"error", {{"exit_code", exit_code}, {"diagnostics", list}}}};
  return out.dump(2) + "\n";
}

}  // namespace

void PrintDiagnostics(const GlobalOptions& global, const std::vector<Diagnostic>& diagnostics) {
  DiagnosticPrinter(std::cerr, global.stderr_color).PrintAll(diagnostics);
}

int Fail(const GlobalOptions& global, int exit_code, const DiagnosticSink& sink, OutputFormat format) {
  PrintDiagnostics(global, sink.diagnostics());
  switch (format) {
    case OutputFormat::kJson: std::cout << ErrorJson(exit_code, sink.diagnostics()); break;
    case OutputFormat::kText:
    case OutputFormat::kMarkdown:
    case OutputFormat::kHtml: break;
  }
  return exit_code;
}

int Fail(const GlobalOptions& global, int exit_code, std::string message, std::vector<std::string> notes,
         OutputFormat format) {
  DiagnosticSink sink;
  sink.Error({}, std::move(message), std::move(notes));
  return Fail(global, exit_code, sink, format);
}

}  // namespace ws
