// Generic traversal of Binaryen IR through the C API.
//
// Binaryen 108's C API has getters for each expression class but no way to
// iterate over an expression's children, so this file knows, per class,
// which getters return children and in which (evaluation) order. Classes
// the C API has no getters for (the GC proposal's struct/array/rtt ops,
// call_ref, br_on_*) are walked as leaves; wasmship modules never contain
// them. Walks are iterative: Binaryen nests blocks thousands deep for a
// large br_table, more than a recursive walk's stack should hold.
#pragma once

#include <binaryen-c.h>

#include <cstdint>
#include <vector>

namespace ws::opt {

enum class ExprKind {
  kOther,
  kNop,
  kBlock,
  kIf,
  kLoop,
  kBreak,
  kSwitch,
  kCall,
  kCallIndirect,
  kLocalGet,
  kLocalSet,
  kGlobalGet,
  kGlobalSet,
  kLoad,
  kStore,
  kConst,
  kUnary,
  kBinary,
  kSelect,
  kDrop,
  kReturn,
  kMemorySize,
  kMemoryGrow,
  kUnreachable,
  kAtomicRMW,
  kAtomicCmpxchg,
  kAtomicWait,
  kAtomicNotify,
  kAtomicFence,
  kSIMDExtract,
  kSIMDReplace,
  kSIMDShuffle,
  kSIMDTernary,
  kSIMDShift,
  kSIMDLoad,
  kSIMDLoadStoreLane,
  kMemoryInit,
  kDataDrop,
  kMemoryCopy,
  kMemoryFill,
  kRefNull,
  kRefIs,
  kRefFunc,
  kRefEq,
  kRefAs,
  kTableGet,
  kTableSet,
  kTableSize,
  kTableGrow,
  kTry,
  kThrow,
  kRethrow,
  kTupleMake,
  kTupleExtract,
  kI31New,
  kI31Get,
  kPop,
};

ExprKind KindOf(BinaryenExpressionRef expr);

// Appends `expr`'s children in evaluation order; absent optional children
// (an `if` without else, a `br` without value) are left out.
void AppendChildren(BinaryenExpressionRef expr, std::vector<BinaryenExpressionRef>& out);

// Replaces child number `slot` (as AppendChildren numbers them) of a
// block, if or loop. Returns false for other parents.
bool ReplaceChild(BinaryenExpressionRef parent, uint32_t slot, BinaryenExpressionRef replacement);

struct ExprVisit {
  BinaryenExpressionRef expr;
  BinaryenExpressionRef parent;  // nullptr for the root
  uint32_t slot;                 // index among the parent's children
};

// Calls visit(ExprVisit) for `root` and everything below it, parents
// before children, children in evaluation order.
template <typename Visitor>
void WalkExpressions(BinaryenExpressionRef root, Visitor&& visit) {
  if (root == nullptr) return;
  std::vector<ExprVisit> stack = {{root, nullptr, 0}};
  std::vector<BinaryenExpressionRef> children;
  while (!stack.empty()) {
    ExprVisit current = stack.back();
    stack.pop_back();
    visit(current);
    children.clear();
    AppendChildren(current.expr, children);
    for (size_t i = children.size(); i-- > 0;) {
      stack.push_back({children[i], current.expr, static_cast<uint32_t>(i)});
    }
  }
}

// Every function body and global initializer of `module` (imports have
// neither).
template <typename Visitor>
void WalkModuleCode(BinaryenModuleRef module, Visitor&& visit) {
  for (BinaryenIndex i = 0, n = BinaryenGetNumFunctions(module); i < n; ++i) {
    WalkExpressions(BinaryenFunctionGetBody(BinaryenGetFunctionByIndex(module, i)), visit);
  }
  for (BinaryenIndex i = 0, n = BinaryenGetNumGlobals(module); i < n; ++i) {
    WalkExpressions(BinaryenGlobalGetInitExpr(BinaryenGetGlobalByIndex(module, i)), visit);
  }
}

}  // namespace ws::opt
