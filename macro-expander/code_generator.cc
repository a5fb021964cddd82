#include "macro-expander/code_generator.h"

#include <cstdio>
#include <unordered_map>

#include "macro-expander/cpp_emitter.h"
#include "macro-expander/literal_range.h"
#include "macro-expander/literal_table.h"

namespace ws::dsl {
namespace {

// At -O1 clang's compile time grows faster than linearly with the size of a
// function (1,000 sibling elements in one: 89 s, 1.2 GB). Sibling runs
// heavier than this many elements are split into functions of at most this
// many, which keeps the compile time linear in the size of the block.
constexpr size_t kMaxElementsPerFunction = 32;

// A literal as a C++ expression of the prop's type (the checker made sure
// it fits). With a table, texts, colors and 32-bit numbers are read from it:
// the expression keeps its form, only the literal inside moves.
std::string Literal(const Value& v, const PropInfo& p, const SourceMap& map, LiteralTable* table) {
  TextRange where = map.FileRange(v.range);
  auto number = [&](std::string literal) { return table ? table->Float(std::move(literal), where) : literal; };
  switch (p.type) {
    case PropType::kLength:
      return std::string(v.unit == "%" ? "::ws::Length::Percent(" : "::ws::Length::Px(") + number(FloatLiteral(v.text)) +
             ")";
    case PropType::kDuration:
      return "::ws::Duration(" + number(FloatLiteral(v.text)) + (v.unit == "s" ? " * 1000.0f)" : ")");
    case PropType::kColor: {
      std::string color = ColorLiteral(v.text);
      return "::ws::Color(" + (table ? table->Color(color, where) : color) + ")";
    }
    case PropType::kEdges: return "::ws::Edges(" + number(FloatLiteral(v.text)) + ")";
    case PropType::kString: {
      std::string quoted = StringLiteral(v.text);
      return "::std::string(" + (table ? table->Text(quoted, where) : quoted) + ")";
    }
    case PropType::kNumber: return p.bits == 64 ? FloatLiteral(v.text, "") : number(FloatLiteral(v.text));
    case PropType::kInteger: return IntegerLiteral(v.text);
    case PropType::kBool: return v.text;
    case PropType::kEnum: return p.cpp_type + "::" + v.text;
    default: return v.text;
  }
}

// Handler bodies are statements; a last statement may leave out its ';'.
std::string Statements(std::string code) {
  size_t end = code.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return code;
  if (code[end] != ';' && code[end] != '}') code.insert(end + 1, ";");
  return code;
}

class Generator {
 public:
  Generator(ElementResolver& resolver, const SourceMap& map, LiteralTable* table, std::string_view composable)
      : resolver_(resolver), map_(map), table_(table), composable_(composable), out_(map.file()) {}

  std::string Run(const Element& root, uint32_t resume_line, uint32_t resume_column) {
    out_.Raw("[&]() -> ::ws::View {");
    out_.Indent();
    EmitTraceScope();
    std::string view = EmitElement(root);
    out_.Line("return " + view + ";");
    out_.Dedent();
    out_.Line("}()");
    return out_.Finish(resume_line, resume_column);
  }

 private:
  uint32_t LineOf(TextRange r) const { return map_.BlockPosition(r.begin).first; }

  // The composable's body on `run --trace` (wasmship/trace.hpp): the block,
  // and each for/if builder, which may run again in a later frame's effects.
  void EmitTraceScope() {
    if (composable_.empty()) return;
    out_.Line("::ws::trace::ComposableScope wsgen_trace(\"" + std::string(composable_) + "\");");
  }

  void EmitCode(const Value& v, std::string_view prefix, std::string_view suffix, bool statements = false) {
    auto [line, column] = map_.BlockPosition(v.code.begin);
    out_.UserCode(line, column, prefix, statements ? Statements(v.text) : v.text, suffix);
  }

  void EmitNode(const Node& node) {
    if (const Element* e = std::get_if<Element>(&node)) {
      EmitElement(*e);
    } else if (const ForNode* f = std::get_if<ForNode>(&node)) {
      EmitFor(*f);
    } else if (const IfNode* i = std::get_if<IfNode>(&node)) {
      EmitIf(*i);
    }
  }

  // Siblings in order; when they are too heavy for one function, each run
  // of light ones goes into a lambda called on the spot. The lambda
  // captures by reference (it runs now, inside the function that has the
  // parameters, signals and loop variables its code names) and is never
  // inlined, or -O1 would merge the pieces back into one function. A heavy
  // node stays: its own code is small, its children are split in turn.
  void EmitNodes(const std::vector<Node>& nodes) {
    if (Weight(nodes) <= kMaxElementsPerFunction) {
      for (const Node& node : nodes) EmitNode(node);
      return;
    }
    for (size_t begin = 0; begin < nodes.size();) {
      size_t end = begin, weight = 0;
      while (end < nodes.size() && (end == begin || weight + Weight(nodes[end]) <= kMaxElementsPerFunction)) {
        weight += Weight(nodes[end++]);
      }
      if (end == begin + 1 && weight > kMaxElementsPerFunction) {
        EmitNode(nodes[begin]);
      } else {
        EmitSplit(nodes, begin, end);
      }
      begin = end;
    }
  }

  void EmitSplit(const std::vector<Node>& nodes, size_t begin, size_t end) {
    out_.At(LineOf(nodes[begin]));
    out_.Line("[&]() __attribute__((noinline)) {");
    out_.Indent();
    for (size_t i = begin; i < end; ++i) EmitNode(nodes[i]);
    out_.Dedent();
    out_.At(LineOf(nodes[end - 1]));
    out_.Line("}();");
  }

  // The elements in a subtree (a for or an if counts as one more): what
  // its code costs to compile. Memoized, as every level asks again.
  size_t Weight(const Node& node) {
    auto it = weights_.find(&node);
    if (it != weights_.end()) return it->second;
    size_t weight = 1;
    if (const Element* e = std::get_if<Element>(&node)) {
      weight += Weight(e->children);
    } else if (const ForNode* f = std::get_if<ForNode>(&node)) {
      weight += Weight(f->children);
    } else if (const IfNode* i = std::get_if<IfNode>(&node)) {
      weight += Weight(i->then_children) + Weight(i->else_children);
    }
    return weights_[&node] = weight;
  }
  size_t Weight(const std::vector<Node>& nodes) {
    size_t weight = 0;
    for (const Node& node : nodes) weight += Weight(node);
    return weight;
  }

  uint32_t LineOf(const Node& node) const {
    if (const Element* e = std::get_if<Element>(&node)) return LineOf(e->name_range);
    if (const ForNode* f = std::get_if<ForNode>(&node)) return LineOf(f->keyword);
    return LineOf(std::get<IfNode>(node).keyword);
  }

  // Emits an element and returns the name of the variable holding its View.
  std::string EmitElement(const Element& e) {
    const ElementInfo* info = resolver_.Resolve(e.name);
    out_.At(LineOf(e.name_range));
    return info->kind == ElementInfo::Kind::kWidget ? EmitWidget(e, *info) : EmitComposable(e, *info);
  }

  const PropInfo* Find(const ElementInfo& info, const std::string& name) {
    for (const PropInfo& p : info.props) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  std::string EmitWidget(const Element& e, const ElementInfo& info) {
    int id = ++counter_;
    std::string props = "wsgen_p" + std::to_string(id), view = "wsgen_e" + std::to_string(id);
    out_.Line(info.props_type + " " + props + ";");
    std::vector<const Prop*> bindings;
    for (const Prop& prop : e.props) {
      const PropInfo* p = Find(info, prop.name);
      out_.At(LineOf(prop.name_range));
      if (prop.value.kind != ValueKind::kCode) {
        out_.Line(props + "." + prop.name + " = " + Literal(prop.value, *p, map_, table_) + ";");
      } else if (p->type == PropType::kHandler) {
        EmitCode(prop.value, props + "." + prop.name + " = [=]() {", " };", /*statements=*/true);
      } else {
        bindings.push_back(&prop);
      }
    }
    out_.At(LineOf(e.name_range));
    // No children: no builder lambda (each one is a callable clang must
    // instantiate and emit; a large block has hundreds).
    if (!info.accepts_children || e.children.empty()) {
      out_.Line("[[maybe_unused]] ::ws::View " + view + " = " + info.function + "(" + props + ");");
    } else {
      out_.Line("[[maybe_unused]] ::ws::View " + view + " = " + info.function + "(" + props + ", [&]() {");
      out_.Indent();
      EmitNodes(e.children);
      out_.Dedent();
      out_.At(LineOf(e.name_range));
      out_.Line("});");
    }
    for (const Prop* prop : bindings) {
      const PropInfo* p = Find(info, prop->name);
      out_.At(LineOf(prop->name_range));
      EmitCode(prop->value,
               "::ws::Bind(" + view + ", &" + info.props_type + "::" + prop->name + ", [=]() -> " + p->cpp_type +
                   " { return",
               "; });");
    }
    return view;
  }

  std::string EmitComposable(const Element& e, const ElementInfo& info) {
    int id = ++counter_;
    std::string view = "wsgen_e" + std::to_string(id);
    // Arguments in parameter order, up to the last one the block gives;
    // skipped parameters take their default arguments.
    size_t last = 0;
    for (size_t i = 0; i < info.props.size(); ++i) {
      for (const Prop& prop : e.props) {
        if (prop.name == info.props[i].name) last = i + 1;
      }
      if (info.children_parameter && info.props[i].name == "children" && e.has_children) last = i + 1;
    }
    out_.Line("[[maybe_unused]] ::ws::View " + view + " = " + info.function + "(");
    out_.Indent();
    for (size_t i = 0; i < last; ++i) EmitArgument(e, info.props[i], i + 1 == last);
    out_.Dedent();
    out_.At(LineOf(e.name_range));
    out_.Line(");");
    return view;
  }

  void EmitArgument(const Element& e, const PropInfo& param, bool last) {
    std::string comma = last ? "" : ",";
    if (info_children(param) && e.has_children) {
      out_.Line("[=]() {");
      out_.Indent();
      EmitNodes(e.children);
      out_.Dedent();
      out_.At(LineOf(e.name_range));
      out_.Line("}" + comma);
      return;
    }
    for (const Prop& prop : e.props) {
      if (prop.name != param.name) continue;
      out_.At(LineOf(prop.name_range));
      if (prop.value.kind != ValueKind::kCode) {
        out_.Line(Literal(prop.value, param, map_, table_) + comma);
      } else if (param.type == PropType::kHandler) {
        EmitCode(prop.value, "[=]() {", " }" + comma, /*statements=*/true);
      } else {
        EmitCode(prop.value, "", comma);
      }
      return;
    }
    out_.Line(param.default_text + comma);
  }

  static bool info_children(const PropInfo& p) { return p.name == "children"; }

  void EmitFor(const ForNode& f) {
    out_.At(LineOf(f.keyword));
    EmitCode(f.range, "::ws::For([=]() { return", "; },");
    out_.Indent();
    if (f.key) {
      out_.At(LineOf(f.keyword));
      EmitCode(*f.key, "[=](const auto& " + f.variable + ") { return", "; },");
    }
    out_.At(LineOf(f.keyword));
    out_.Line("[=](const auto& " + f.variable + ") {");
    out_.Indent();
    EmitTraceScope();
    EmitNodes(f.children);
    out_.Dedent();
    out_.At(LineOf(f.keyword));
    out_.Line("});");
    out_.Dedent();
  }

  void EmitIf(const IfNode& n) {
    out_.At(LineOf(n.keyword));
    EmitCode(n.condition, "::ws::If([=]() -> bool { return", "; },");
    out_.Indent();
    out_.At(LineOf(n.keyword));
    out_.Line("[=]() {");
    out_.Indent();
    EmitTraceScope();
    EmitNodes(n.then_children);
    out_.Dedent();
    out_.At(LineOf(n.keyword));
    if (!n.has_else) {
      out_.Line("});");
    } else {
      out_.Line("}, [=]() {");
      out_.Indent();
      EmitTraceScope();
      EmitNodes(n.else_children);
      out_.Dedent();
      out_.At(LineOf(n.keyword));
      out_.Line("});");
    }
    out_.Dedent();
  }

  ElementResolver& resolver_;
  const SourceMap& map_;
  LiteralTable* table_;
  std::string_view composable_;
  CppEmitter out_;
  int counter_ = 0;
  std::unordered_map<const Node*, size_t> weights_;
};

}  // namespace

std::string GenerateCompose(const Element& root, ElementResolver& resolver, const SourceMap& map,
                            uint32_t resume_line, uint32_t resume_column, LiteralTable* table,
                            std::string_view composable) {
  return Generator(resolver, map, table, composable).Run(root, resume_line, resume_column);
}

}  // namespace ws::dsl
