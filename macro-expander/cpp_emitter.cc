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

void CppEmitter::At(uint32_t line) {
  if (line != pinned_) repin_ = true;
  pinned_ = line;
}

void CppEmitter::Line(std::string_view code) {
  if (!out_.empty() && out_.back() != '\n') NewLine();
  if (pinned_ != 0 && repin_ && mapped_ != pinned_) Directive(pinned_);
  repin_ = false;
  out_.append(static_cast<size_t>(indent_) * 2, ' ');
  out_ += code;
  NewLine();
}

void CppEmitter::UserCode(uint32_t line, uint32_t column, std::string_view prefix, std::string_view code,
                          std::string_view suffix) {
  if (!prefix.empty()) {
    if (!out_.empty() && out_.back() != '\n') NewLine();
    if (pinned_ != 0 && repin_ && mapped_ != pinned_) Directive(pinned_);
    out_.append(static_cast<size_t>(indent_) * 2, ' ');
    out_ += prefix;
  }
  Directive(line);
  out_.append(column > 0 ? column - 1 : 0, ' ');
  out_ += code;
  for (char c : code) {
    if (c == '\n') ++mapped_;
  }
  // A // comment on the code's last line would swallow the suffix.
  size_t last_line = code.rfind('\n');
  if (code.find("//", last_line == std::string_view::npos ? 0 : last_line) != std::string_view::npos) NewLine();
  out_ += suffix;
  NewLine();
  repin_ = true;
}

void CppEmitter::Raw(std::string_view text) { out_ += text; }

std::string CppEmitter::Finish(uint32_t line, uint32_t column) {
  Directive(line);
  out_.append(column > 0 ? column - 1 : 0, ' ');
  return std::move(out_);
}

}  // namespace ws::dsl
