// Splits compose DSL text into tokens. The parser drives it: a `{` after
// `:`, `in`, `key` or `if` starts embedded C++ (read whole, with balanced
// braces, skipping C++ strings and comments), anywhere else it opens a
// children block.
#pragma once

#include <string>
#include <string_view>

#include "macro-expander/dsl_ast.h"

namespace ws::dsl {

enum class TokenKind {
  kEnd,
  kIdent,
  kNumber,   // text: digits; unit: px % ms s or empty
  kString,   // text: decoded
  kColor,    // text: 6 or 8 hex digits
  kLParen,
  kRParen,
  kComma,
  kColon,
  kLBrace,
  kRBrace,
  kError,    // message in `text`
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::string unit;
  TextRange range;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token after whitespace and comments.
  Token Next();
  Token Peek();
  // At a `{`: reads embedded C++ up to the matching `}`. On an unbalanced
  // block returns a kError token spanning from the `{`.
  Token Code();
  uint32_t position() const { return pos_; }

 private:
  void SkipSpaceAndComments();
  Token Number();
  Token String();
  Token Color();
  Token Error(uint32_t begin, uint32_t end, std::string message);
  // Past a C++ string or character literal starting at pos_ (quote `q`).
  bool SkipCppQuoted(char q);

  std::string_view text_;
  uint32_t pos_ = 0;
};

// The first byte offset where `text` is not valid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace ws::dsl
