// DSL literals kept out of the expansion. In builds without LTO (the ones a
// developer repeats after every edit) the expansion names each text, color
// and size by its index in a table that a second, tiny unit defines. Editing
// "Who's watching?" then changes only that unit: the expansion stays the
// same text, its object comes from the cache, and the rebuild compiles a few
// lines instead of a whole page. Release builds (LTO) keep literals inline.
#pragma once

#include <string>
#include <vector>

namespace ws::dsl {

class LiteralTable {
 public:
  // `symbol_prefix` must be unique in the link: LiteralTablePrefix(display).
  explicit LiteralTable(std::string symbol_prefix) : prefix_(std::move(symbol_prefix)) {}

  // Each takes the literal as C++ text and returns an expression of the
  // same type that reads it from the table.
  std::string Text(std::string quoted);      // "..." → const char*
  std::string Float(std::string literal);    // 16.0f → float
  std::string Color(std::string literal);    // 0xFFCC00FFu → unsigned int

  bool empty() const { return texts_.empty() && floats_.empty() && colors_.empty(); }
  // extern "C" declarations the expansion starts with (empty when unused).
  std::string Declarations() const;
  // The table's own unit: `display` names the source it comes from.
  std::string Definitions(const std::string& display) const;

 private:
  std::string prefix_;
  std::vector<std::string> texts_, floats_, colors_;
};

// "wsgen_lits_" and 16 hex digits of a hash of the source's display name.
std::string LiteralTablePrefix(const std::string& display);

}  // namespace ws::dsl
