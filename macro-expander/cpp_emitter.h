// Writes generated C++ line by line, with indentation and #line directives:
// generated lines are attributed to the DSL line they implement, and user
// code from {...} is copied verbatim at its original line and column, so
// the compiler reports errors in it where the developer wrote them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ws::dsl {

class CppEmitter {
 public:
  explicit CppEmitter(std::string file) : file_(std::move(file)) {}

  // Following generated lines belong to `line` of the original file.
  void At(uint32_t line) { pinned_ = line; }
  void Line(std::string_view code);
  void Indent() { ++indent_; }
  void Dedent() { --indent_; }
  // `code` as written at `line`:`column`; `prefix` and `suffix` (generated)
  // go around it, the suffix on the same line as the code's last line.
  void UserCode(uint32_t line, uint32_t column, std::string_view prefix, std::string_view code,
                std::string_view suffix);
  // Continues the current output line without a line break (the expression
  // that replaces a compose call starts in the middle of a line).
  void Raw(std::string_view text);
  // Ends output so that the original file continues at `line`:`column`.
  std::string Finish(uint32_t line, uint32_t column);

 private:
  void NewLine();
  void Directive(uint32_t line);
  // Begins a generated line: attributed to the pinned line, indented.
  void StartLine();

  std::string file_;
  std::string out_;
  int indent_ = 0;
  uint32_t mapped_ = 0;  // the original line the next output line stands for (0: unknown)
  // The line set by At(): every generated line is attributed exactly (a
  // #line wherever the count drifts), so a diagnostic on generated code,
  // such as a prop's assignment, names the DSL line it implements.
  uint32_t pinned_ = 0;
};

}  // namespace ws::dsl
