// The syntax tree of a compose DSL block. Every node keeps the byte range of
// the text it came from (offsets into the block), so every diagnostic and
// every embedded C++ expression can be mapped back to the original file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ws::dsl {

struct TextRange {
  uint32_t begin = 0;
  uint32_t end = 0;  // one past the last byte
};

enum class ValueKind { kNumber, kString, kColor, kIdent, kCode };

struct Value {
  ValueKind kind = ValueKind::kNumber;
  std::string text;  // number digits, decoded string, color hex digits, identifier, or C++ code
  std::string unit;  // numbers: "", "px", "%", "ms", "s"
  TextRange range;   // the whole value as written
  TextRange code;    // kCode: the C++ text between the braces
};

struct Prop {
  std::string name;
  TextRange name_range;
  Value value;
};

struct Element;
struct ForNode;
struct IfNode;
using Node = std::variant<Element, ForNode, IfNode>;

struct Element {
  std::string name;
  TextRange name_range;
  std::vector<Prop> props;
  bool has_children = false;
  TextRange children_open;  // the '{' of the children block
  std::vector<Node> children;
};

struct ForNode {
  TextRange keyword;
  std::string variable;
  TextRange variable_range;
  Value range;                // kCode
  std::optional<Value> key;   // kCode
  std::vector<Node> children;
};

struct IfNode {
  TextRange keyword;
  Value condition;  // kCode
  std::vector<Node> then_children;
  bool has_else = false;
  // An `else if` is an else branch holding one IfNode.
  std::vector<Node> else_children;
};

}  // namespace ws::dsl
