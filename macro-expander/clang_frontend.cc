#include "macro-expander/clang_frontend.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/Tooling.h>

#include <cstring>
#include <set>

#include "macro-expander/clang_resolver.h"

namespace ws::dsl {
namespace {

using namespace clang;

// Counts errors instead of printing them: the compile that follows reports
// C++ errors with the user's flags; the expander only needs to know.
class CountingConsumer : public DiagnosticConsumer {
 public:
  void HandleDiagnostic(DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
  }
};

struct Context {
  std::string display;
  DiagnosticSink* sink = nullptr;
  const std::function<void(std::vector<ComposeCall>&)>* on_calls = nullptr;
  FrontendResult* result = nullptr;
};

// Finds compose calls below one main-file declaration, remembering the
// function each is in.
class CallFinder : public RecursiveASTVisitor<CallFinder> {
 public:
  bool shouldVisitLambdaBody() const { return true; }

  bool TraverseFunctionDecl(FunctionDecl* fn) { return WithFunction(fn, [&] { return Base::TraverseFunctionDecl(fn); }); }
  bool TraverseCXXMethodDecl(CXXMethodDecl* fn) {
    return WithFunction(fn, [&] { return Base::TraverseCXXMethodDecl(fn); });
  }

  bool VisitCallExpr(CallExpr* call) {
    const FunctionDecl* callee = call->getDirectCallee();
    if (callee == nullptr || callee->getName() != "compose" || !callee->getDeclContext()->isTranslationUnit()) {
      return true;
    }
    calls.emplace_back(call, function_);
    return true;
  }

  std::vector<std::pair<CallExpr*, FunctionDecl*>> calls;

 private:
  using Base = RecursiveASTVisitor<CallFinder>;
  template <typename F>
  bool WithFunction(FunctionDecl* fn, F f) {
    FunctionDecl* saved = function_;
    if (fn->doesThisDeclarationHaveABody()) function_ = fn;
    bool ok = f();
    function_ = saved;
    return ok;
  }
  FunctionDecl* function_ = nullptr;
};

class Consumer : public ASTConsumer {
 public:
  Consumer(CompilerInstance& ci, Context& context) : ci_(ci), context_(context) {}

  bool HandleTopLevelDecl(DeclGroupRef group) override {
    const SourceManager& sm = ci_.getSourceManager();
    for (Decl* d : group) {
      if (const auto* fn = dyn_cast<FunctionDecl>(d); fn != nullptr && IsComposable(fn)) {
        composables_.insert(fn->getNameAsString());
      }
      if (sm.isInMainFile(sm.getExpansionLoc(d->getLocation()))) main_decls_.push_back(d);
      if (isa<NamespaceDecl>(d)) NoteComposables(cast<NamespaceDecl>(d));
    }
    return true;
  }

  void HandleTranslationUnit(ASTContext& ctx) override {
    context_.result->parsed = true;
    context_.result->cpp_errors = ci_.getDiagnostics().hasErrorOccurred();
    CallFinder finder;
    for (Decl* d : main_decls_) finder.TraverseDecl(d);
    std::vector<std::unique_ptr<ClangResolver>> resolvers;
    std::vector<ComposeCall> calls;
    for (auto [call, fn] : finder.calls) {
      ComposeCall found;
      if (!Describe(ctx, call, fn, found)) continue;
      resolvers.push_back(std::make_unique<ClangResolver>(ctx, fn, call->getBeginLoc(), composables_));
      found.resolver = resolvers.back().get();
      calls.push_back(std::move(found));
    }
    (*context_.on_calls)(calls);
  }

 private:
  // Composables declared in namespaces of headers, for suggestions.
  void NoteComposables(const DeclContext* dc) {
    for (const Decl* d : dc->decls()) {
      if (const auto* fn = dyn_cast<FunctionDecl>(d); fn != nullptr && IsComposable(fn)) {
        composables_.insert(fn->getNameAsString());
      } else if (const auto* ns = dyn_cast<NamespaceDecl>(d)) {
        NoteComposables(ns);
      }
    }
  }

  Span SpanAt(SourceLocation loc) {
    const SourceManager& sm = ci_.getSourceManager();
    PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(loc));
    return {context_.display, p.isValid() ? p.getLine() : 0, p.isValid() ? p.getColumn() : 0, 1};
  }

  // Checks the call's shape and records where its block is.
  bool Describe(ASTContext& ctx, CallExpr* call, FunctionDecl* fn, ComposeCall& out) {
    const SourceManager& sm = ctx.getSourceManager();
    DiagnosticSink& sink = *context_.sink;
    if (call->getBeginLoc().isMacroID() || call->getEndLoc().isMacroID()) {
      sink.Error(SpanAt(call->getBeginLoc()), "compose() must be written out, not produced by a macro");
      return false;
    }
    if (fn == nullptr || !IsComposable(fn)) {
      sink.Error(SpanAt(call->getBeginLoc()), "compose() outside a UI_COMPOSABLE function",
                 {"mark the function that returns compose(...) with UI_COMPOSABLE"});
      return false;
    }
    const auto* literal = call->getNumArgs() == 1 ? dyn_cast<StringLiteral>(call->getArg(0)->IgnoreParenImpCasts()) : nullptr;
    const char* spelling = literal != nullptr ? sm.getCharacterData(literal->getBeginLoc()) : nullptr;
    if (literal == nullptr || literal->getNumConcatenated() != 1 || literal->getBeginLoc().isMacroID() ||
        spelling[0] != 'R' || spelling[1] != '"') {
      sink.Error(SpanAt(call->getNumArgs() > 0 ? call->getArg(0)->getBeginLoc() : call->getBeginLoc()),
                 "compose() takes one raw string literal", {"write compose(R\"ui( Column() { ... } )ui\")"});
      return false;
    }
    const char* open = std::strchr(spelling, '(');
    out.call_begin = sm.getFileOffset(call->getBeginLoc());
    out.call_end = sm.getFileOffset(call->getRParenLoc()) + 1;
    out.block_begin = sm.getFileOffset(literal->getBeginLoc()) + static_cast<uint32_t>(open - spelling + 1);
    out.block = literal->getString().str();
    out.composable = fn->getNameAsString();
    return true;
  }

  CompilerInstance& ci_;
  Context& context_;
  std::vector<Decl*> main_decls_;
  std::set<std::string> composables_;
};

class Action : public ASTFrontendAction {
 public:
  explicit Action(Context& context) : context_(context) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& ci, StringRef) override {
    return std::make_unique<Consumer>(ci, context_);
  }
  void EndSourceFileAction() override {
    CompilerInstance& ci = getCompilerInstance();
    for (auto it = ci.getSourceManager().fileinfo_begin(); it != ci.getSourceManager().fileinfo_end(); ++it) {
      context_.result->dependencies.push_back(it->first.getName().str());
    }
  }

 private:
  Context& context_;
};

}  // namespace

FrontendResult RunFrontend(const std::string& path, const std::string& display, const std::vector<std::string>& args,
                           const std::function<void(std::vector<ComposeCall>&)>& on_calls, DiagnosticSink& sink) {
  FrontendResult result;
  Context context{display, &sink, &on_calls, &result};
  std::vector<std::string> argv = {"wasmship-expand", "-fsyntax-only", "-fno-caret-diagnostics"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(path);
  llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions()));
  CountingConsumer diagnostics;
  tooling::ToolInvocation invocation(argv, std::make_unique<Action>(context), files.get());
  invocation.setDiagnosticConsumer(&diagnostics);
  invocation.run();
  if (diagnostics.getNumErrors() > 0) result.cpp_errors = true;
  return result;
}

}  // namespace ws::dsl
