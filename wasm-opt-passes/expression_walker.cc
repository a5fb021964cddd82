#include "wasm-opt-passes/expression_walker.h"

#include <utility>

namespace ws::opt {
namespace {

// Expression ids are only available through functions; this maps them to
// ExprKind once.
class KindTable {
 public:
  KindTable() {
    const std::pair<BinaryenExpressionId, ExprKind> ids[] = {
        {BinaryenNopId(), ExprKind::kNop},
        {BinaryenBlockId(), ExprKind::kBlock},
        {BinaryenIfId(), ExprKind::kIf},
        {BinaryenLoopId(), ExprKind::kLoop},
        {BinaryenBreakId(), ExprKind::kBreak},
        {BinaryenSwitchId(), ExprKind::kSwitch},
        {BinaryenCallId(), ExprKind::kCall},
        {BinaryenCallIndirectId(), ExprKind::kCallIndirect},
        {BinaryenLocalGetId(), ExprKind::kLocalGet},
        {BinaryenLocalSetId(), ExprKind::kLocalSet},
        {BinaryenGlobalGetId(), ExprKind::kGlobalGet},
        {BinaryenGlobalSetId(), ExprKind::kGlobalSet},
        {BinaryenLoadId(), ExprKind::kLoad},
        {BinaryenStoreId(), ExprKind::kStore},
        {BinaryenConstId(), ExprKind::kConst},
        {BinaryenUnaryId(), ExprKind::kUnary},
        {BinaryenBinaryId(), ExprKind::kBinary},
        {BinaryenSelectId(), ExprKind::kSelect},
        {BinaryenDropId(), ExprKind::kDrop},
        {BinaryenReturnId(), ExprKind::kReturn},
        {BinaryenMemorySizeId(), ExprKind::kMemorySize},
        {BinaryenMemoryGrowId(), ExprKind::kMemoryGrow},
        {BinaryenUnreachableId(), ExprKind::kUnreachable},
        {BinaryenAtomicRMWId(), ExprKind::kAtomicRMW},
        {BinaryenAtomicCmpxchgId(), ExprKind::kAtomicCmpxchg},
        {BinaryenAtomicWaitId(), ExprKind::kAtomicWait},
        {BinaryenAtomicNotifyId(), ExprKind::kAtomicNotify},
        {BinaryenAtomicFenceId(), ExprKind::kAtomicFence},
        {BinaryenSIMDExtractId(), ExprKind::kSIMDExtract},
        {BinaryenSIMDReplaceId(), ExprKind::kSIMDReplace},
        {BinaryenSIMDShuffleId(), ExprKind::kSIMDShuffle},
        {BinaryenSIMDTernaryId(), ExprKind::kSIMDTernary},
        {BinaryenSIMDShiftId(), ExprKind::kSIMDShift},
        {BinaryenSIMDLoadId(), ExprKind::kSIMDLoad},
        {BinaryenSIMDLoadStoreLaneId(), ExprKind::kSIMDLoadStoreLane},
        {BinaryenMemoryInitId(), ExprKind::kMemoryInit},
        {BinaryenDataDropId(), ExprKind::kDataDrop},
        {BinaryenMemoryCopyId(), ExprKind::kMemoryCopy},
        {BinaryenMemoryFillId(), ExprKind::kMemoryFill},
        {BinaryenRefNullId(), ExprKind::kRefNull},
        {BinaryenRefIsId(), ExprKind::kRefIs},
        {BinaryenRefFuncId(), ExprKind::kRefFunc},
        {BinaryenRefEqId(), ExprKind::kRefEq},
        {BinaryenRefAsId(), ExprKind::kRefAs},
        {BinaryenTableGetId(), ExprKind::kTableGet},
        {BinaryenTableSetId(), ExprKind::kTableSet},
        {BinaryenTableSizeId(), ExprKind::kTableSize},
        {BinaryenTableGrowId(), ExprKind::kTableGrow},
        {BinaryenTryId(), ExprKind::kTry},
        {BinaryenThrowId(), ExprKind::kThrow},
        {BinaryenRethrowId(), ExprKind::kRethrow},
        {BinaryenTupleMakeId(), ExprKind::kTupleMake},
        {BinaryenTupleExtractId(), ExprKind::kTupleExtract},
        {BinaryenI31NewId(), ExprKind::kI31New},
        {BinaryenI31GetId(), ExprKind::kI31Get},
        {BinaryenPopId(), ExprKind::kPop},
    };
    for (const auto& [id, kind] : ids) {
      if (id >= kinds_.size()) kinds_.resize(id + 1, ExprKind::kOther);
      kinds_[id] = kind;
    }
  }
  ExprKind Get(BinaryenExpressionId id) const { return id < kinds_.size() ? kinds_[id] : ExprKind::kOther; }

 private:
  std::vector<ExprKind> kinds_;
};

class ChildList {
 public:
  explicit ChildList(std::vector<BinaryenExpressionRef>& out) : out_(out) {}
  ChildList& operator<<(BinaryenExpressionRef child) {
    if (child != nullptr) out_.push_back(child);
    return *this;
  }

 private:
  std::vector<BinaryenExpressionRef>& out_;
};

template <typename Count, typename At>
void AppendEach(ChildList& list, BinaryenExpressionRef expr, Count count, At at) {
  for (BinaryenIndex i = 0, n = count(expr); i < n; ++i) list << at(expr, i);
}

void AppendControlFlow(ExprKind kind, BinaryenExpressionRef e, ChildList& c) {
  switch (kind) {
    case ExprKind::kBlock: AppendEach(c, e, BinaryenBlockGetNumChildren, BinaryenBlockGetChildAt); break;
    case ExprKind::kIf:
      c << BinaryenIfGetCondition(e) << BinaryenIfGetIfTrue(e) << BinaryenIfGetIfFalse(e);
      break;
    case ExprKind::kLoop: c << BinaryenLoopGetBody(e); break;
    case ExprKind::kBreak: c << BinaryenBreakGetValue(e) << BinaryenBreakGetCondition(e); break;
    case ExprKind::kSwitch: c << BinaryenSwitchGetValue(e) << BinaryenSwitchGetCondition(e); break;
    case ExprKind::kCall: AppendEach(c, e, BinaryenCallGetNumOperands, BinaryenCallGetOperandAt); break;
    case ExprKind::kCallIndirect:
      AppendEach(c, e, BinaryenCallIndirectGetNumOperands, BinaryenCallIndirectGetOperandAt);
      c << BinaryenCallIndirectGetTarget(e);
      break;
    case ExprKind::kSelect:
      c << BinaryenSelectGetIfTrue(e) << BinaryenSelectGetIfFalse(e) << BinaryenSelectGetCondition(e);
      break;
    case ExprKind::kDrop: c << BinaryenDropGetValue(e); break;
    case ExprKind::kReturn: c << BinaryenReturnGetValue(e); break;
    case ExprKind::kTry:
      c << BinaryenTryGetBody(e);
      AppendEach(c, e, BinaryenTryGetNumCatchBodies, BinaryenTryGetCatchBodyAt);
      break;
    case ExprKind::kThrow: AppendEach(c, e, BinaryenThrowGetNumOperands, BinaryenThrowGetOperandAt); break;
    case ExprKind::kTupleMake:
      AppendEach(c, e, BinaryenTupleMakeGetNumOperands, BinaryenTupleMakeGetOperandAt);
      break;
    case ExprKind::kTupleExtract: c << BinaryenTupleExtractGetTuple(e); break;
    default: break;
  }
}

void AppendMemoryAndValues(ExprKind kind, BinaryenExpressionRef e, ChildList& c) {
  switch (kind) {
    case ExprKind::kLocalSet: c << BinaryenLocalSetGetValue(e); break;
    case ExprKind::kGlobalSet: c << BinaryenGlobalSetGetValue(e); break;
    case ExprKind::kLoad: c << BinaryenLoadGetPtr(e); break;
    case ExprKind::kStore: c << BinaryenStoreGetPtr(e) << BinaryenStoreGetValue(e); break;
    case ExprKind::kUnary: c << BinaryenUnaryGetValue(e); break;
    case ExprKind::kBinary: c << BinaryenBinaryGetLeft(e) << BinaryenBinaryGetRight(e); break;
    case ExprKind::kMemoryGrow: c << BinaryenMemoryGrowGetDelta(e); break;
    case ExprKind::kMemoryInit:
      c << BinaryenMemoryInitGetDest(e) << BinaryenMemoryInitGetOffset(e) << BinaryenMemoryInitGetSize(e);
      break;
    case ExprKind::kMemoryCopy:
      c << BinaryenMemoryCopyGetDest(e) << BinaryenMemoryCopyGetSource(e) << BinaryenMemoryCopyGetSize(e);
      break;
    case ExprKind::kMemoryFill:
      c << BinaryenMemoryFillGetDest(e) << BinaryenMemoryFillGetValue(e) << BinaryenMemoryFillGetSize(e);
      break;
    case ExprKind::kAtomicRMW: c << BinaryenAtomicRMWGetPtr(e) << BinaryenAtomicRMWGetValue(e); break;
    case ExprKind::kAtomicCmpxchg:
      c << BinaryenAtomicCmpxchgGetPtr(e) << BinaryenAtomicCmpxchgGetExpected(e)
        << BinaryenAtomicCmpxchgGetReplacement(e);
      break;
    case ExprKind::kAtomicWait:
      c << BinaryenAtomicWaitGetPtr(e) << BinaryenAtomicWaitGetExpected(e) << BinaryenAtomicWaitGetTimeout(e);
      break;
    case ExprKind::kAtomicNotify:
      c << BinaryenAtomicNotifyGetPtr(e) << BinaryenAtomicNotifyGetNotifyCount(e);
      break;
    default: break;
  }
}

void AppendVectorsAndReferences(ExprKind kind, BinaryenExpressionRef e, ChildList& c) {
  switch (kind) {
    case ExprKind::kSIMDExtract: c << BinaryenSIMDExtractGetVec(e); break;
    case ExprKind::kSIMDReplace: c << BinaryenSIMDReplaceGetVec(e) << BinaryenSIMDReplaceGetValue(e); break;
    case ExprKind::kSIMDShuffle: c << BinaryenSIMDShuffleGetLeft(e) << BinaryenSIMDShuffleGetRight(e); break;
    case ExprKind::kSIMDTernary:
      c << BinaryenSIMDTernaryGetA(e) << BinaryenSIMDTernaryGetB(e) << BinaryenSIMDTernaryGetC(e);
      break;
    case ExprKind::kSIMDShift: c << BinaryenSIMDShiftGetVec(e) << BinaryenSIMDShiftGetShift(e); break;
    case ExprKind::kSIMDLoad: c << BinaryenSIMDLoadGetPtr(e); break;
    case ExprKind::kSIMDLoadStoreLane:
      c << BinaryenSIMDLoadStoreLaneGetPtr(e) << BinaryenSIMDLoadStoreLaneGetVec(e);
      break;
    case ExprKind::kRefIs: c << BinaryenRefIsGetValue(e); break;
    case ExprKind::kRefEq: c << BinaryenRefEqGetLeft(e) << BinaryenRefEqGetRight(e); break;
    case ExprKind::kRefAs: c << BinaryenRefAsGetValue(e); break;
    case ExprKind::kTableGet: c << BinaryenTableGetGetIndex(e); break;
    case ExprKind::kTableSet: c << BinaryenTableSetGetIndex(e) << BinaryenTableSetGetValue(e); break;
    case ExprKind::kTableGrow: c << BinaryenTableGrowGetValue(e) << BinaryenTableGrowGetDelta(e); break;
    case ExprKind::kI31New: c << BinaryenI31NewGetValue(e); break;
    case ExprKind::kI31Get: c << BinaryenI31GetGetI31(e); break;
    default: break;
  }
}

}  // namespace

ExprKind KindOf(BinaryenExpressionRef expr) {
  static const KindTable kTable;
  return kTable.Get(BinaryenExpressionGetId(expr));
}

void AppendChildren(BinaryenExpressionRef expr, std::vector<BinaryenExpressionRef>& out) {
  ChildList children(out);
  ExprKind kind = KindOf(expr);
  AppendControlFlow(kind, expr, children);
  AppendMemoryAndValues(kind, expr, children);
  AppendVectorsAndReferences(kind, expr, children);
}

bool ReplaceChild(BinaryenExpressionRef parent, uint32_t slot, BinaryenExpressionRef replacement) {
  switch (KindOf(parent)) {
    case ExprKind::kBlock: BinaryenBlockSetChildAt(parent, slot, replacement); return true;
    case ExprKind::kLoop: BinaryenLoopSetBody(parent, replacement); return true;
    case ExprKind::kIf:
      if (slot == 1) BinaryenIfSetIfTrue(parent, replacement);
      if (slot == 2) BinaryenIfSetIfFalse(parent, replacement);
      return slot == 1 || slot == 2;
    default: return false;
  }
}

}  // namespace ws::opt
