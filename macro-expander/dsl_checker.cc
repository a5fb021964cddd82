#include "macro-expander/dsl_checker.h"

#include <algorithm>
#include <set>

#include "diagnostics/suggest.h"
#include "macro-expander/literal_range.h"

namespace ws::dsl {
namespace {

const char* Expected(PropType type) {
  switch (type) {
    case PropType::kLength: return "a size such as 240, 240px or 50%";
    case PropType::kDuration: return "a duration such as 150ms or 1.5s";
    case PropType::kColor: return "a color such as #FFCC00 or #FFCC0080";
    case PropType::kEdges: return "a number of pixels";
    case PropType::kString: return "a string such as \"text\"";
    case PropType::kNumber: return "a number";
    case PropType::kInteger: return "a whole number";
    case PropType::kBool: return "true or false";
    case PropType::kEnum: return "one of its names";
    case PropType::kHandler: return "a handler in braces, e.g. {count.set(1)}";
    case PropType::kOther: return "an expression in braces";
  }
  return "an expression in braces";
}

const char* KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNumber: return "a number";
    case ValueKind::kString: return "a string";
    case ValueKind::kColor: return "a color";
    case ValueKind::kIdent: return "a name";
    case ValueKind::kCode: return "an expression";
  }
  return "a value";
}

// Whether a literal fits the prop's type; {code} fits everything.
bool Fits(const Value& v, const PropInfo& p) {
  if (v.kind == ValueKind::kCode) return true;
  switch (p.type) {
    case PropType::kLength: return v.kind == ValueKind::kNumber && (v.unit.empty() || v.unit == "px" || v.unit == "%");
    case PropType::kDuration: return v.kind == ValueKind::kNumber && (v.unit.empty() || v.unit == "ms" || v.unit == "s");
    case PropType::kColor: return v.kind == ValueKind::kColor;
    case PropType::kEdges: return v.kind == ValueKind::kNumber && (v.unit.empty() || v.unit == "px");
    case PropType::kString: return v.kind == ValueKind::kString;
    case PropType::kNumber: return v.kind == ValueKind::kNumber && v.unit.empty();
    case PropType::kInteger:
      return v.kind == ValueKind::kNumber && v.unit.empty() && v.text.find('.') == std::string::npos;
    case PropType::kBool: return v.kind == ValueKind::kIdent && (v.text == "true" || v.text == "false");
    case PropType::kEnum:
      return v.kind == ValueKind::kIdent && std::find(p.enumerators.begin(), p.enumerators.end(), v.text) != p.enumerators.end();
    case PropType::kHandler:
    case PropType::kOther: return false;
  }
  return false;
}

class Checker {
 public:
  Checker(const std::string& composable, ElementResolver& resolver) : composable_(composable), resolver_(resolver) {}

  std::vector<DslError> Run(const Element& root) {
    CheckElement(root, /*conditional=*/false);
    return std::move(errors_);
  }

 private:
  void Error(TextRange range, std::string message, std::vector<std::string> notes = {}) {
    errors_.push_back({range, std::move(message), std::move(notes)});
  }

  void CheckNodes(const std::vector<Node>& nodes, bool conditional) {
    for (const Node& node : nodes) {
      if (const Element* e = std::get_if<Element>(&node)) CheckElement(*e, conditional);
      if (const ForNode* f = std::get_if<ForNode>(&node)) CheckNodes(f->children, true);
      if (const IfNode* i = std::get_if<IfNode>(&node)) {
        CheckNodes(i->then_children, true);
        CheckNodes(i->else_children, true);
      }
    }
  }

  void CheckElement(const Element& e, bool conditional) {
    if (e.name.empty()) return;  // the parser already reported it
    const ElementInfo* info = resolver_.Resolve(e.name);
    if (info == nullptr) {
      Error(e.name_range, "unknown element '" + e.name + "'" + DidYouMean(e.name, resolver_.KnownNames()),
            {"elements are built-in widgets (Row, Column, Stack, Box, Grid, Text, Image, Rail, Spacer) or "
             "UI_COMPOSABLE functions declared before this one"});
      CheckNodes(e.children, conditional);
      return;
    }
    if (info->kind == ElementInfo::Kind::kComposable && info->name == composable_ && !conditional) {
      Error(e.name_range, "'" + e.name + "' uses itself unconditionally: it could never finish building",
            {"use it under an `if` or a `for` that ends"});
    }
    CheckProps(e, *info);
    if (e.has_children && !info->accepts_children) {
      Error(e.children_open, "'" + e.name + "' takes no children",
            {info->kind == ElementInfo::Kind::kWidget
                 ? e.name + " is a leaf widget"
                 : "give " + e.name + " a `ws::Children children` parameter to accept children"});
    }
    CheckNodes(e.children, conditional);
  }

  void CheckProps(const Element& e, const ElementInfo& info) {
    std::vector<std::string> names;
    for (const PropInfo& p : info.props) names.push_back(p.name);
    std::set<std::string> seen;
    for (const Prop& prop : e.props) {
      auto it = std::find_if(info.props.begin(), info.props.end(), [&](const PropInfo& p) { return p.name == prop.name; });
      if (it == info.props.end()) {
        Error(prop.name_range, "unknown prop '" + prop.name + "' on " + e.name + DidYouMean(prop.name, names),
              {e.name + " has: " + JoinNames(names)});
        continue;
      }
      if (!seen.insert(prop.name).second) {
        Error(prop.name_range, "duplicate prop '" + prop.name + "' on " + e.name);
        continue;
      }
      if (!Fits(prop.value, *it)) {
        WrongKind(e, prop, *it);
      } else if (std::string why = OutOfRange(prop.value, *it); !why.empty()) {
        Error(prop.value.range, "'" + prop.name + "' on " + e.name + " " + why);
      }
    }
    for (const PropInfo& p : info.props) {
      if (p.required && !seen.count(p.name)) {
        Error(e.name_range, "missing required prop '" + p.name + "' on " + e.name);
      }
    }
  }

  void WrongKind(const Element& e, const Prop& prop, const PropInfo& info) {
    std::string message = "'" + prop.name + "' on " + e.name + " takes " + Expected(info.type) + ", not " +
                          KindName(prop.value.kind);
    std::vector<std::string> notes;
    if (info.type == PropType::kEnum) {
      if (prop.value.kind == ValueKind::kIdent) {
        message = "'" + prop.value.text + "' is not a value of '" + prop.name + "' on " + e.name +
                  DidYouMean(prop.value.text, info.enumerators);
      }
      notes.push_back("values: " + JoinNames(info.enumerators));
    } else if (prop.value.kind == ValueKind::kNumber && !prop.value.unit.empty()) {
      message = "'" + prop.name + "' on " + e.name + " takes " + Expected(info.type) + ", not a number in " +
                prop.value.unit;
    }
    Error(prop.value.range, message, notes);
  }

  const std::string& composable_;
  ElementResolver& resolver_;
  std::vector<DslError> errors_;
};

}  // namespace

std::vector<DslError> Check(const Element& root, const std::string& composable, ElementResolver& resolver) {
  return Checker(composable, resolver).Run(root);
}

}  // namespace ws::dsl
