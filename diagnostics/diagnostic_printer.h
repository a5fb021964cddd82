// Prints diagnostics the way clang does:
//
//   wasmship.yaml:3:1: error: unknown key 'sorces'; did you mean 'sources'?
//       3 | sorces: [src/*.cpp]
//         | ^~~~~~
//   note: valid keys are: app, sources, ...
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"

namespace ws {

class DiagnosticPrinter {
 public:
  DiagnosticPrinter(std::ostream& out, bool color) : out_(out), color_(color) {}

  void Print(const Diagnostic& diagnostic);
  void PrintAll(const std::vector<Diagnostic>& diagnostics);

 private:
  // Returns the text of a 1-based line, or nullptr if the file or line is unreadable.
  const std::string* SourceLine(const std::string& file, uint32_t line);
  void PrintExcerpt(const Span& span);

  std::ostream& out_;
  bool color_;
  std::map<std::string, std::vector<std::string>> file_lines_;
};

// One diagnostic rendered without color, for tests and JSON output.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

}  // namespace ws
