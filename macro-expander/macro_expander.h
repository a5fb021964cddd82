// macro-expander: compose DSL blocks → plain C++.
//
//   source.cpp ─ clang (AST) ─► compose calls ─► lexer ─► parser ─► checks ─► generator ─► expanded.cpp
//
// The expansion is the source with each compose(R"ui(...)ui") call replaced
// by generated builder calls, starting with `#line 1 "<display>"` and
// keeping every line where it was, so diagnostics of the compile point into
// the original file. The original file is never modified.
#pragma once

#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "macro-expander/compose_blocks.h"

namespace ws {

struct ExpandRequest {
  std::string source;   // the file to read
  std::string display;  // how diagnostics and #line name it
  std::vector<std::string> clang_args;  // the unit's compile flags (and its PCH), no input/output
  // Texts, colors and sizes go into `ExpandResult::literals`, a unit of
  // their own (macro-expander/literal_table.h), instead of the expansion.
  bool literal_table = false;
};

struct ExpandResult {
  bool ok = false;        // no DSL errors
  std::string text;       // the expanded source
  std::string literals;   // with literal_table: the table's unit (C++)
  int blocks = 0;         // compose blocks expanded
  bool cpp_errors = false;  // the C++ around the blocks has errors (the compile reports them)
  std::vector<std::string> dependencies;  // files the parse read
};

ExpandResult ExpandSource(const ExpandRequest& request, DiagnosticSink& sink);

}  // namespace ws
