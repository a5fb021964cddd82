// Number literals against the range of their prop's C++ type: the DSL
// refuses a literal the type cannot hold (as the compiler would only warn,
// then wrap it: `columns: 99999999999` became 1215752191), and writes the
// ones it accepts as C++ literals that mean the same number.
#pragma once

#include <string>

#include "macro-expander/dsl_ast.h"
#include "macro-expander/element_info.h"

namespace ws::dsl {

// Why number literal `v` (of the kind `p` takes) does not fit `p`'s C++
// type, naming the valid range; empty when it fits.
std::string OutOfRange(const Value& v, const PropInfo& p);

// An in-range integer literal as C++ with the same value: no leading zeros
// (they would make it octal), a suffix where no signed type holds it.
std::string IntegerLiteral(const std::string& text);

// A DSL number as a C++ floating literal: "240" → "240.0f", ".5" → "0.5f";
// `suffix` "" makes a double.
std::string FloatLiteral(const std::string& number, const char* suffix = "f");

// A decoded DSL string as a C++ string literal.
std::string StringLiteral(const std::string& text);

// 6 or 8 hex digits (RRGGBB, RRGGBBAA) as the RGBA unsigned literal.
std::string ColorLiteral(const std::string& hex);

}  // namespace ws::dsl
