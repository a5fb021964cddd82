// Diagnostics are values: every stage reports problems by adding a Diagnostic
// to a DiagnosticSink instead of printing or throwing. The CLI decides how and
// where they are shown (see diagnostic_printer.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ws {

enum class Level { kNote, kWarning, kError };

// A place in a source file. Lines and columns are 1-based; line 0 means the
// diagnostic is about the file as a whole. `length` is the number of bytes
// the caret line underlines (at least one is drawn).
struct Span {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t length = 1;
};

struct Diagnostic {
  Level level = Level::kError;
  std::string message;
  Span span;
  // Extra lines printed after the source excerpt, e.g. "run `wasmship new`".
  std::vector<std::string> notes;
};

class DiagnosticSink {
 public:
  void Add(Diagnostic diagnostic);
  void Error(Span span, std::string message, std::vector<std::string> notes = {});
  void Warning(Span span, std::string message, std::vector<std::string> notes = {});

  bool HasErrors() const { return error_count_ > 0; }
  size_t ErrorCount() const { return error_count_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Hands the collected diagnostics to the caller and empties the sink.
  std::vector<Diagnostic> Take();

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t error_count_ = 0;
};

}  // namespace ws
