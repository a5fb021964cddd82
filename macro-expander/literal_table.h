// DSL literals kept out of the expansion. In builds without LTO (the ones a
// developer repeats after every edit) the expansion names each text, color
// and size by its index in a table that a second, tiny unit defines. Editing
// "Who's watching?" then changes only that unit: the expansion stays the
// same text, its object comes from the cache, and the rebuild compiles a few
// lines instead of a whole page. Release builds (LTO) keep literals inline.
//
// The table's unit ends with a note of where each literal was in the source
// (and a hash of that source), so that PatchLiterals can redo the table of
// an edit that changed only literals without parsing C++ at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "macro-expander/dsl_ast.h"

namespace ws::dsl {

class LiteralTable {
 public:
  // `symbol_prefix` must be unique in the link: LiteralTablePrefix(display).
  explicit LiteralTable(std::string symbol_prefix) : prefix_(std::move(symbol_prefix)) {}

  // Each takes the literal as C++ text and the byte range of the value as
  // written in the source file, and returns an expression of the same type
  // that reads it from the table.
  std::string Text(std::string quoted, TextRange where);    // "..." → const char*
  std::string Float(std::string literal, TextRange where);  // 16.0f → float
  std::string Color(std::string literal, TextRange where);  // 0xFFCC00FFu → unsigned int

  bool empty() const { return slots_.empty(); }
  // extern "C" declarations the expansion starts with (empty when unused).
  std::string Declarations() const;
  // The table's own unit for `source` (the file's text), which `display` names.
  std::string Definitions(const std::string& display, const std::string& source) const;

 private:
  struct Slot {
    char kind;  // 's', 'f' or 'c'
    TextRange where;
  };
  std::string Add(std::vector<std::string>& values, std::string value, char kind, TextRange where);

  std::string prefix_;
  std::vector<std::string> texts_, floats_, colors_;
  std::vector<Slot> slots_;  // in the order the values were added
};

// "wsgen_lits_" and 16 hex digits of a hash of the source's display name.
std::string LiteralTablePrefix(const std::string& display);

// The table's unit for `new_source` when it differs from `old_source` (whose
// table's unit is `old_table`) only in the values of literals the table
// holds, each still of its kind (and unit) and valid; nullopt when anything
// else changed or the old table does not describe `old_source`: the caller
// then expands the file in full.
std::optional<std::string> PatchLiterals(const std::string& old_source, const std::string& old_table,
                                         const std::string& new_source, const std::string& display);

}  // namespace ws::dsl
