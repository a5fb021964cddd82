#include "macro-expander/dsl_parser.h"

#include "macro-expander/dsl_lexer.h"

namespace ws::dsl {
namespace {

// Deeper nesting than this is refused rather than risking the stack.
constexpr int kMaxDepth = 200;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) {}

  ParseResult Run() {
    ParseResult result;
    size_t bad = FindInvalidUtf8(text_);
    if (bad != std::string_view::npos) {
      Error({static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)}, "the compose block is not valid UTF-8 here",
            {"save the file as UTF-8"});
      result.errors = std::move(errors_);
      return result;
    }
    Token first = lexer_.Peek();
    if (first.kind == TokenKind::kEnd) {
      Error({0, 0}, "empty compose block", {"a compose block holds one root element, e.g. Column() { Text(text: \"hi\") }"});
    } else {
      result.root = ParseElement(lexer_.Next(), 0);
      Token extra = fatal_ ? Token{} : lexer_.Next();
      if (extra.kind != TokenKind::kEnd && !Failed(extra)) {
        Error(extra.range, "a compose block holds exactly one root element",
              {"wrap the elements in a Column, Row or Stack"});
      }
    }
    result.errors = std::move(errors_);
    return result;
  }

 private:
  void Error(TextRange range, std::string message, std::vector<std::string> notes = {}) {
    errors_.push_back({range, std::move(message), std::move(notes)});
  }
  // Reports a lexer error token; true if `t` was one. After an unclosed
  // brace or string nothing later can be trusted: parsing stops there
  // rather than burying the real problem under follow-on errors.
  bool Failed(const Token& t) {
    if (t.kind != TokenKind::kError) return false;
    Error(t.range, t.text);
    if (t.text.rfind("unbalanced", 0) == 0 || t.text.rfind("unterminated", 0) == 0) fatal_ = true;
    return true;
  }

  Element ParseElement(const Token& name, int depth) {
    Element e;
    e.name = name.text;
    e.name_range = name.range;
    if (name.kind != TokenKind::kIdent) {
      if (!Failed(name)) Error(name.range, "expected an element name such as Column or Text");
      return e;
    }
    Token open = lexer_.Next();
    if (open.kind != TokenKind::kLParen) {
      if (!Failed(open)) Error(open.range, "expected '(' after '" + e.name + "'", {"write " + e.name + "() for no props"});
      return e;
    }
    ParseProps(e);
    if (!fatal_ && lexer_.Peek().kind == TokenKind::kLBrace) {
      Token brace = lexer_.Next();
      e.has_children = true;
      e.children_open = brace.range;
      e.children = ParseChildren(brace, depth + 1);
    }
    return e;
  }

  void ParseProps(Element& e) {
    if (lexer_.Peek().kind == TokenKind::kRParen) {
      lexer_.Next();
      return;
    }
    while (!fatal_) {
      Token name = lexer_.Next();
      if (name.kind == TokenKind::kRParen) return;  // trailing comma
      if (name.kind == TokenKind::kIdent && lexer_.Peek().kind == TokenKind::kColon) {
        lexer_.Next();
        Prop p{name.text, name.range, {}};
        if (ParseValue(p.value)) e.props.push_back(std::move(p));
      } else if (!Failed(name)) {
        Error(name.range, name.kind == TokenKind::kEnd ? "unbalanced parentheses: '(' of " + e.name + " is never closed"
                                                        : "expected a prop such as width: 240");
        if (name.kind == TokenKind::kEnd) return;
      }
      if (fatal_) return;
      Token next = lexer_.Next();
      if (next.kind == TokenKind::kComma) continue;
      if (next.kind == TokenKind::kRParen) return;
      if (Failed(next)) continue;
      Error(next.range, next.kind == TokenKind::kEnd ? "unbalanced parentheses: '(' of " + e.name + " is never closed"
                                                      : "expected ',' or ')' after a prop");
      if (!SkipToPropEnd()) return;
    }
  }

  // After an error: past the next ',' (true, more props follow) or ')' (false).
  bool SkipToPropEnd() {
    while (true) {
      Token t = lexer_.Next();
      if (t.kind == TokenKind::kComma) return true;
      if (t.kind == TokenKind::kRParen || t.kind == TokenKind::kEnd) return false;
    }
  }

  bool ParseValue(Value& v) {
    if (lexer_.Peek().kind == TokenKind::kLBrace) return ParseCode(v);
    Token t = lexer_.Next();
    v.range = t.range;
    v.text = t.text;
    v.unit = t.unit;
    switch (t.kind) {
      case TokenKind::kNumber: v.kind = ValueKind::kNumber; return true;
      case TokenKind::kString: v.kind = ValueKind::kString; return true;
      case TokenKind::kColor: v.kind = ValueKind::kColor; return true;
      case TokenKind::kIdent: v.kind = ValueKind::kIdent; return true;
      default:
        if (!Failed(t)) Error(t.range, "expected a value: a number, \"text\", #color, a name or {expression}");
        return false;
    }
  }

  bool ParseCode(Value& v) {
    Token code = lexer_.Code();
    if (Failed(code)) return false;
    v.kind = ValueKind::kCode;
    v.text = code.text;
    v.range = code.range;
    v.code = {code.range.begin + 1, code.range.end - 1};
    return true;
  }

  std::vector<Node> ParseChildren(const Token& open, int depth) {
    std::vector<Node> children;
    if (depth > kMaxDepth) {
      Error(open.range, "elements nested too deeply");
      return children;
    }
    while (!fatal_) {
      Token t = lexer_.Next();
      if (t.kind == TokenKind::kRBrace) return children;
      if (t.kind == TokenKind::kEnd) {
        Error(open.range, "unbalanced braces: this '{' is never closed");
        return children;
      }
      if (Failed(t)) continue;
      if (t.kind == TokenKind::kIdent && t.text == "for") {
        children.emplace_back(ParseFor(t, depth));
      } else if (t.kind == TokenKind::kIdent && t.text == "if") {
        children.emplace_back(ParseIf(t, depth));
      } else if (t.kind == TokenKind::kIdent) {
        children.emplace_back(ParseElement(t, depth));
      } else {
        Error(t.range, "expected an element, 'for' or 'if'");
      }
    }
    return children;
  }

  // Reads `{ code }` for a for/if clause into `v`; reports `what` is missing.
  bool Clause(Value& v, const TextRange& at, const std::string& what) {
    if (lexer_.Peek().kind != TokenKind::kLBrace) {
      Error(lexer_.Peek().range.begin == lexer_.Peek().range.end ? at : lexer_.Peek().range,
            "expected " + what + " in braces, e.g. {items()}");
      return false;
    }
    return ParseCode(v);
  }

  bool Children(std::vector<Node>& out, const TextRange& at, const std::string& owner, int depth) {
    if (lexer_.Peek().kind != TokenKind::kLBrace) {
      Error(at, "expected '{' with the children of this '" + owner + "'");
      return false;
    }
    Token brace = lexer_.Next();
    out = ParseChildren(brace, depth + 1);
    return true;
  }

  ForNode ParseFor(const Token& keyword, int depth) {
    ForNode f;
    f.keyword = keyword.range;
    Token var = lexer_.Next();
    if (var.kind != TokenKind::kIdent) {
      if (!Failed(var)) Error(var.range, "expected a variable name after 'for'");
      return f;
    }
    f.variable = var.text;
    f.variable_range = var.range;
    Token in = lexer_.Next();
    if (in.kind != TokenKind::kIdent || in.text != "in") {
      if (!Failed(in)) Error(in.range, "expected 'in' after 'for " + f.variable + "'");
      return f;
    }
    if (!Clause(f.range, in.range, "the list to iterate")) return f;
    if (lexer_.Peek().kind == TokenKind::kIdent && lexer_.Peek().text == "key") {
      Token key = lexer_.Next();
      Value k;
      if (Clause(k, key.range, "the key of an item")) f.key = std::move(k);
    }
    Children(f.children, keyword.range, "for", depth);
    return f;
  }

  IfNode ParseIf(const Token& keyword, int depth) {
    IfNode n;
    n.keyword = keyword.range;
    if (!Clause(n.condition, keyword.range, "a condition")) return n;
    Children(n.then_children, keyword.range, "if", depth);
    if (lexer_.Peek().kind == TokenKind::kIdent && lexer_.Peek().text == "else") {
      Token else_token = lexer_.Next();
      n.has_else = true;
      if (lexer_.Peek().kind == TokenKind::kIdent && lexer_.Peek().text == "if") {
        n.else_children.emplace_back(ParseIf(lexer_.Next(), depth + 1));
      } else {
        Children(n.else_children, else_token.range, "else", depth);
      }
    }
    return n;
  }

  std::string_view text_;
  Lexer lexer_;
  std::vector<DslError> errors_;
  bool fatal_ = false;
};

}  // namespace

ParseResult Parse(std::string_view text) { return Parser(text).Run(); }

}  // namespace ws::dsl
