#include "macro-expander/dsl_lexer.h"

#include <cctype>

namespace ws::dsl {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > text.size()) return i;
    uint32_t code_point = c & (0xFFu >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and values past Unicode are invalid too.
    if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

Token Lexer::Error(uint32_t begin, uint32_t end, std::string message) {
  return {TokenKind::kError, std::move(message), "", {begin, end}};
}

void Lexer::SkipSpaceAndComments() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

Token Lexer::Peek() {
  uint32_t saved = pos_;
  Token t = Next();
  pos_ = saved;
  return t;
}

Token Lexer::Next() {
  SkipSpaceAndComments();
  uint32_t begin = pos_;
  if (pos_ >= text_.size()) return {TokenKind::kEnd, "", "", {begin, begin}};
  char c = text_[pos_];
  auto single = [&](TokenKind kind) {
    ++pos_;
    return Token{kind, std::string(1, c), "", {begin, pos_}};
  };
  switch (c) {
    case '(': return single(TokenKind::kLParen);
    case ')': return single(TokenKind::kRParen);
    case ',': return single(TokenKind::kComma);
    case ':': return single(TokenKind::kColon);
    case '{': return single(TokenKind::kLBrace);
    case '}': return single(TokenKind::kRBrace);
    case '"': return String();
    case '#': return Color();
    default: break;
  }
  if (IsDigit(c) || ((c == '-' || c == '.') && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) return Number();
  if (IsIdentStart(c)) {
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    return {TokenKind::kIdent, std::string(text_.substr(begin, pos_ - begin)), "", {begin, pos_}};
  }
  ++pos_;
  while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) ++pos_;
  return Error(begin, pos_, "unexpected character '" + std::string(text_.substr(begin, pos_ - begin)) + "'");
}

Token Lexer::Number() {
  uint32_t begin = pos_;
  if (text_[pos_] == '-') ++pos_;
  bool dot = false;
  while (pos_ < text_.size() && (IsDigit(text_[pos_]) || (text_[pos_] == '.' && !dot))) {
    dot |= text_[pos_] == '.';
    ++pos_;
  }
  Token t{TokenKind::kNumber, std::string(text_.substr(begin, pos_ - begin)), "", {begin, pos_}};
  uint32_t unit_begin = pos_;
  if (pos_ < text_.size() && text_[pos_] == '%') {
    ++pos_;
  } else {
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
  }
  t.unit = std::string(text_.substr(unit_begin, pos_ - unit_begin));
  t.range.end = pos_;
  if (!t.unit.empty() && t.unit != "px" && t.unit != "%" && t.unit != "ms" && t.unit != "s") {
    return Error(unit_begin, pos_, "unknown unit '" + t.unit + "'; sizes take px or %, durations ms or s");
  }
  return t;
}

Token Lexer::String() {
  uint32_t begin = pos_++;
  std::string value;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '"') return {TokenKind::kString, value, "", {begin, pos_}};
    if (c == '\n') break;
    if (c != '\\') {
      value += c;
      continue;
    }
    if (pos_ >= text_.size()) break;
    char e = text_[pos_++];
    switch (e) {
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      case '"': value += '"'; break;
      case '\\': value += '\\'; break;
      default: return Error(pos_ - 2, pos_, std::string("unknown escape '\\") + e + "' in a string");
    }
  }
  return Error(begin, begin + 1, "unterminated string: this '\"' is never closed");
}

Token Lexer::Color() {
  uint32_t begin = pos_++;
  while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  uint32_t digits = pos_ - begin - 1;
  if (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    return Error(begin, pos_, "a color is '#' and 6 or 8 hex digits (RRGGBB or RRGGBBAA)");
  }
  if (digits != 6 && digits != 8) return Error(begin, pos_, "a color is '#' and 6 or 8 hex digits (RRGGBB or RRGGBBAA)");
  return {TokenKind::kColor, std::string(text_.substr(begin + 1, digits)), "", {begin, pos_}};
}

bool Lexer::SkipCppQuoted(char q) {
  ++pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '\\') {
      ++pos_;
    } else if (c == q) {
      return true;
    } else if (c == '\n') {
      return false;
    }
  }
  return false;
}

Token Lexer::Code() {
  SkipSpaceAndComments();
  uint32_t open = pos_;
  if (pos_ >= text_.size() || text_[pos_] != '{') return Error(pos_, pos_ + 1, "expected '{'");
  ++pos_;
  int depth = 1;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '"' || (c == '\'' && !(pos_ > 0 && IsIdentChar(text_[pos_ - 1])))) {
      if (!SkipCppQuoted(c)) return Error(open, open + 1, "unterminated string inside this C++ block");
      continue;
    }
    if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      continue;
    }
    if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      size_t close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) return Error(open, open + 1, "unbalanced braces: this '{' is never closed");
      pos_ = static_cast<uint32_t>(close + 2);
      continue;
    }
    ++pos_;
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) {
      Token t{TokenKind::kLBrace, std::string(text_.substr(open + 1, pos_ - open - 2)), "", {open, pos_}};
      return t;
    }
  }
  return Error(open, open + 1, "unbalanced braces: this '{' is never closed");
}

}  // namespace ws::dsl
