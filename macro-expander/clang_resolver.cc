#include "macro-expander/clang_resolver.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace ws::dsl {
namespace {

using namespace clang;

const char* kComposableAnnotation = "wasmship::composable";
const char* kBuiltinWidgets[] = {"Row", "Column", "Stack", "Box", "Grid", "Text", "Image", "Rail", "Spacer"};

// ws::Callback<void()> (ws::Handler, ws::Children) or std::function<void()>:
// a handler when its name says so (on_*), the children of a composable when
// it is called `children`.
bool IsFunctionTemplate(const ClassTemplateSpecializationDecl* spec) {
  if (spec->getName() == "function") return spec->isInStdNamespace();
  return spec->getQualifiedNameAsString() == "ws::Callback";
}

bool IsVoidFunction(QualType type) {
  const auto* record = type->getAsCXXRecordDecl();
  const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(record);
  if (spec == nullptr || !IsFunctionTemplate(spec)) return false;
  const TemplateArgumentList& args = spec->getTemplateArgs();
  if (args.size() != 1 || args[0].getKind() != TemplateArgument::Type) return false;
  const auto* proto = args[0].getAsType()->getAs<FunctionProtoType>();
  return proto != nullptr && proto->getNumParams() == 0 && proto->getReturnType()->isVoidType();
}

PropType RecordKind(const CXXRecordDecl* record) {
  std::string name = record->getQualifiedNameAsString();
  if (name == "ws::Length") return PropType::kLength;
  if (name == "ws::Duration") return PropType::kDuration;
  if (name == "ws::Color") return PropType::kColor;
  if (name == "ws::Edges") return PropType::kEdges;
  if (record->getName() == "basic_string" && record->isInStdNamespace()) return PropType::kString;
  return PropType::kOther;
}

}  // namespace

bool IsComposable(const FunctionDecl* fn) {
  for (const FunctionDecl* redecl : fn->redecls()) {
    for (const auto* attr : redecl->specific_attrs<AnnotateAttr>()) {
      if (attr->getAnnotation() == kComposableAnnotation) return true;
    }
  }
  return false;
}

PropInfo ClangResolver::Describe(const std::string& name, QualType declared) {
  PropInfo info;
  info.name = name;
  QualType type = declared.getNonReferenceType().getUnqualifiedType().getCanonicalType();
  PrintingPolicy policy(ctx_.getLangOpts());
  info.cpp_type = TypeName::getFullyQualifiedName(declared.getNonReferenceType().getUnqualifiedType(), ctx_, policy,
                                                  /*WithGlobalNsPrefix=*/true);
  if (type->isBooleanType()) {
    info.type = PropType::kBool;
  } else if (const auto* e = type->getAs<EnumType>()) {
    info.type = PropType::kEnum;
    for (const EnumConstantDecl* c : e->getDecl()->enumerators()) info.enumerators.push_back(c->getNameAsString());
  } else if (type->isIntegerType()) {
    info.type = PropType::kInteger;
    info.bits = static_cast<int>(ctx_.getIntWidth(type));
    info.is_signed = type->isSignedIntegerType();
  } else if (type->isRealFloatingType()) {
    info.type = PropType::kNumber;
    info.bits = ctx_.getTypeSize(type) > 32 ? 64 : 32;
  } else if (IsVoidFunction(type)) {
    info.type = name.rfind("on_", 0) == 0 ? PropType::kHandler : PropType::kOther;
  } else if (const CXXRecordDecl* record = type->getAsCXXRecordDecl()) {
    info.type = RecordKind(record);
  }
  return info;
}

const NamespaceDecl* ClangResolver::WsNamespace() {
  for (NamedDecl* d : ctx_.getTranslationUnitDecl()->lookup(&ctx_.Idents.get("ws"))) {
    if (const auto* ns = dyn_cast<NamespaceDecl>(d)) return ns;
  }
  return nullptr;
}

std::unique_ptr<ElementInfo> ClangResolver::Widget(const std::string& name) {
  const NamespaceDecl* ws = WsNamespace();
  if (ws == nullptr) return nullptr;
  const CXXRecordDecl* props = nullptr;
  for (NamedDecl* d : ws->lookup(&ctx_.Idents.get(name + "Props"))) {
    if (const auto* r = dyn_cast<CXXRecordDecl>(d); r != nullptr && r->hasDefinition()) props = r->getDefinition();
  }
  bool has_builder = false;
  for (NamedDecl* d : ws->lookup(&ctx_.Idents.get(name))) has_builder |= isa<FunctionDecl>(d);
  if (props == nullptr || !has_builder) return nullptr;
  auto info = std::make_unique<ElementInfo>();
  info->kind = ElementInfo::Kind::kWidget;
  info->name = name;
  info->props_type = "::ws::" + name + "Props";
  info->function = "::ws::" + name;
  for (const FieldDecl* field : props->fields()) info->props.push_back(Describe(field->getNameAsString(), field->getType()));
  for (NamedDecl* d : props->lookup(&ctx_.Idents.get("kAcceptsChildren"))) {
    const auto* var = dyn_cast<VarDecl>(d);
    const Expr* init = var != nullptr ? var->getInit() : nullptr;
    bool value = false;
    if (init != nullptr && init->EvaluateAsBooleanCondition(value, ctx_)) info->accepts_children = value;
  }
  return info;
}

std::unique_ptr<ElementInfo> ClangResolver::Composable(const std::string& name) {
  const FunctionDecl* found = nullptr;
  const SourceManager& sm = ctx_.getSourceManager();
  // The composable's own namespaces, innermost first, then the global one.
  for (const DeclContext* dc = scope_->getDeclContext(); dc != nullptr && found == nullptr; dc = dc->getParent()) {
    if (!dc->isFileContext()) continue;
    for (NamedDecl* d : dc->lookup(&ctx_.Idents.get(name))) {
      const auto* fn = dyn_cast<FunctionDecl>(d);
      if (fn != nullptr && IsComposable(fn) && sm.isBeforeInTranslationUnit(fn->getLocation(), before_)) found = fn;
    }
  }
  if (found == nullptr) return nullptr;
  auto info = std::make_unique<ElementInfo>();
  info->kind = ElementInfo::Kind::kComposable;
  info->name = name;
  info->function = "::" + found->getQualifiedNameAsString();
  for (const ParmVarDecl* param : found->parameters()) {
    PropInfo p = Describe(param->getNameAsString(), param->getType());
    p.required = !param->hasDefaultArg();
    if (param->hasDefaultArg()) {
      p.default_text = Lexer::getSourceText(CharSourceRange::getTokenRange(param->getDefaultArgRange()), sm,
                                            ctx_.getLangOpts())
                           .str();
    }
    if (p.name == "children" && IsVoidFunction(param->getType().getNonReferenceType().getCanonicalType())) {
      info->children_parameter = true;
      info->accepts_children = true;
      p.required = false;
      if (p.default_text.empty()) p.default_text = "::ws::Children()";
    }
    info->props.push_back(std::move(p));
  }
  return info;
}

const ElementInfo* ClangResolver::Resolve(const std::string& name) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second.get();
  std::unique_ptr<ElementInfo> info = Widget(name);
  if (info == nullptr) info = Composable(name);
  return cache_.emplace(name, std::move(info)).first->second.get();
}

std::vector<std::string> ClangResolver::KnownNames() {
  std::vector<std::string> names;
  for (const char* widget : kBuiltinWidgets) {
    if (Resolve(widget) != nullptr) names.push_back(widget);
  }
  for (const std::string& composable : composables_) {
    if (Resolve(composable) != nullptr) names.push_back(composable);
  }
  return names;
}

}  // namespace ws::dsl
