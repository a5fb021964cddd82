// The one way a command reports what went wrong: diagnostics printed the way
// clang prints them on stderr (in color when main decided so, once, from
// --color and the terminal), and, for a command run with --format json,
// also one JSON object on stdout, so that a script reading stdout gets an
// answer instead of nothing:
//   {"error": {"exit_code": 2, "diagnostics": [{"level": "error", "file": "",
//     "line": 0, "column": 0, "message": "...", "notes": []}]}}
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/output_format.h"
#include "diagnostics/diagnostic.h"

namespace ws {

// Warnings and notes that do not end the command, on stderr.
void PrintDiagnostics(const GlobalOptions& global, const std::vector<Diagnostic>& diagnostics);

// Prints the sink's diagnostics and returns `exit_code`.
int Fail(const GlobalOptions& global, int exit_code, const DiagnosticSink& sink,
         OutputFormat format = OutputFormat::kText);
// One error without a place in a file.
int Fail(const GlobalOptions& global, int exit_code, std::string message, std::vector<std::string> notes = {},
         OutputFormat format = OutputFormat::kText);

}  // namespace ws
