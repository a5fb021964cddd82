#include "diagnostics/diagnostic.h"

#include <utility>

namespace ws {

void DiagnosticSink::Add(Diagnostic diagnostic) {
  if (diagnostic.level == Level::kError) ++error_count_;
  diagnostics_.push_back(std::move(diagnostic));
}

void DiagnosticSink::Error(Span span, std::string message,
                           std::vector<std::string> notes) {
  Add({Level::kError, std::move(message), std::move(span), std::move(notes)});
}

void DiagnosticSink::Warning(Span span, std::string message,
                             std::vector<std::string> notes) {
  Add({Level::kWarning, std::move(message), std::move(span), std::move(notes)});
}

std::vector<Diagnostic> DiagnosticSink::Take() {
  error_count_ = 0;
  return std::exchange(diagnostics_, {});
}

}  // namespace ws
