// Parses compose DSL text (grammar in docs/dsl.md) into a tree. Problems
// are collected, not fatal: after an error the parser skips to the next
// prop or element, so one run reports every mistake it can find.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "macro-expander/dsl_ast.h"

namespace ws::dsl {

struct DslError {
  TextRange range;
  std::string message;
  std::vector<std::string> notes;
};

struct ParseResult {
  std::optional<Element> root;
  std::vector<DslError> errors;
};

ParseResult Parse(std::string_view text);

}  // namespace ws::dsl
