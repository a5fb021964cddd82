// ElementResolver over a clang AST: built-in widgets are looked up as
// ws::<Name>Props (fields are props) next to the builder function
// ws::<Name>; composables are UI_COMPOSABLE functions visible at the
// compose call (parameters are props; those without defaults are required).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "macro-expander/element_info.h"

namespace ws::dsl {

bool IsComposable(const clang::FunctionDecl* fn);

class ClangResolver : public ElementResolver {
 public:
  // `scope` is the composable holding the compose call (its namespaces are
  // searched), `before` the call's location; `composables` are the names of
  // every UI_COMPOSABLE the parse saw, for suggestions.
  ClangResolver(clang::ASTContext& ctx, const clang::FunctionDecl* scope, clang::SourceLocation before,
                const std::set<std::string>& composables)
      : ctx_(ctx), scope_(scope), before_(before), composables_(composables) {}

  const ElementInfo* Resolve(const std::string& name) override;
  std::vector<std::string> KnownNames() override;

 private:
  std::unique_ptr<ElementInfo> Widget(const std::string& name);
  std::unique_ptr<ElementInfo> Composable(const std::string& name);
  PropInfo Describe(const std::string& name, clang::QualType type);
  const clang::NamespaceDecl* WsNamespace();

  clang::ASTContext& ctx_;
  const clang::FunctionDecl* scope_;
  clang::SourceLocation before_;
  const std::set<std::string>& composables_;
  std::map<std::string, std::unique_ptr<ElementInfo>> cache_;
};

}  // namespace ws::dsl
