#include "macro-expander/cpp_emitter.h"

namespace ws::dsl {

void CppEmitter::NewLine() {
  out_ += '\n';
  if (mapped_ != 0) ++mapped_;
}

void CppEmitter::Directive(uint32_t line) {
  if (!out_.empty() && out_.back() != '\n') NewLine();
  out_ += "#line " + std::to_string(line) + " \"" + file_ + "\"\n";
  mapped_ = line;
}

void CppEmitter::StartLine() {
  if (!out_.empty() && out_.back() != '\n') NewLine();
  if (pinned_ != 0 && mapped_ != pinned_) Directive(pinned_);
  out_.append(static_cast<size_t>(indent_) * 2, ' ');
}

void CppEmitter::Line(std::string_view code) {
  StartLine();
  out_ += code;
  NewLine();
}

void CppEmitter::UserCode(uint32_t line, uint32_t column, std::string_view prefix, std::string_view code,
                          std::string_view suffix) {
  if (!prefix.empty()) {
    StartLine();
    out_ += prefix;
  }
  Directive(line);
  out_.append(column > 0 ? column - 1 : 0, ' ');
  out_ += code;
  uint32_t end_line = line;
  for (char c : code) {
    if (c == '\n') ++end_line;
  }
  size_t last_line = code.rfind('\n');
  size_t end_column = last_line == std::string_view::npos ? column + code.size() : code.size() - last_line;
  // The suffix gets a line of its own, starting where the code ends (the
  // DSL's closing brace): clang echoes the line it reports on, which then
  // holds the user's code alone.
  NewLine();
  Directive(end_line);
  out_.append(end_column - 1, ' ');
  out_ += suffix;
  NewLine();
}

void CppEmitter::Raw(std::string_view text) { out_ += text; }

std::string CppEmitter::Finish(uint32_t line, uint32_t column) {
  Directive(line);
  out_.append(column > 0 ? column - 1 : 0, ' ');
  return std::move(out_);
}

}  // namespace ws::dsl
