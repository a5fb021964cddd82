// What the DSL needs to know about an element name: a built-in widget with
// its props struct (wasmship/props.hpp) or a UI_COMPOSABLE with its
// parameters. The clang frontend fills these from the C++ AST; the checker
// and the code generator only read them, so they can be tested without clang.
#pragma once

#include <string>
#include <vector>

namespace ws::dsl {

// How a prop's C++ type is written in the DSL.
enum class PropType {
  kLength,    // ws::Length: 240, 240px, 50%
  kDuration,  // ws::Duration: 150, 150ms, 1.5s
  kColor,     // ws::Color: #RRGGBB or #RRGGBBAA
  kEdges,     // ws::Edges: a number of px
  kString,    // std::string: "text"
  kNumber,    // float or double
  kInteger,   // int and friends
  kBool,      // true or false
  kEnum,      // an enumerator name
  kHandler,   // ws::Handler: {statements}
  kOther,     // anything else: only {expression}
};

struct PropInfo {
  std::string name;
  PropType type = PropType::kOther;
  std::string cpp_type;                  // spelled for generated code, e.g. "::ws::Align"
  std::vector<std::string> enumerators;  // kEnum
  bool required = false;                 // composable parameters without a default
  std::string default_text;              // composables: the default argument, as written
  // kInteger: the type's width and signedness; kNumber: 32 (float) or 64
  // (double). Literals are checked against the range these give.
  int bits = 32;
  bool is_signed = true;
};

struct ElementInfo {
  enum class Kind { kWidget, kComposable };
  Kind kind = Kind::kWidget;
  std::string name;
  std::string props_type;  // widgets: "::ws::ColumnProps"
  std::string function;    // "::ws::Column" or the composable's qualified name
  std::vector<PropInfo> props;  // declaration (parameter) order
  bool accepts_children = false;
  bool children_parameter = false;  // a composable with a `ws::Children children` parameter
};

class ElementResolver {
 public:
  virtual ~ElementResolver() = default;
  // nullptr when `name` is neither a widget nor a visible composable.
  virtual const ElementInfo* Resolve(const std::string& name) = 0;
  // Every name Resolve would accept, for suggestions.
  virtual std::vector<std::string> KnownNames() = 0;
};

}  // namespace ws::dsl
