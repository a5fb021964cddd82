#include "wasm-opt-passes/trap_audit_pass.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "host-abi/host_abi.h"
#include "wasm-opt-passes/expression_walker.h"
#include "wasm-binary/symbol_names.h"
#include "wasm-opt-passes/names.h"

namespace ws::opt {
namespace {

constexpr std::string_view kAbortLike[] = {
    "__assert_fail",
    "__builtin_trap",
    "__cxa_deleted_virtual",
    "__cxa_pure_virtual",
    "__libcpp_verbose_abort",
    "__stack_chk_fail",
    "_Exit",
    "abort",
    "abort_message",
};
constexpr std::string_view kFrameRoots[] = {host_abi::kExportFrame.name, host_abi::kExportInput.name};

struct FunctionFacts {
  uint32_t index = 0;
  uint32_t unreachable = 0;
  uint32_t abort_calls = 0;
  std::set<std::string> callees;
};

bool IsAbortLike(std::string_view internal_name) {
  std::string base = BaseName(wasm::Demangle(Unescape(internal_name)));
  return std::find(std::begin(kAbortLike), std::end(kAbortLike), base) != std::end(kAbortLike);
}

FunctionFacts Inspect(BinaryenFunctionRef function, uint32_t index, const std::set<std::string>& aborts) {
  FunctionFacts facts;
  facts.index = index;
  WalkExpressions(BinaryenFunctionGetBody(function), [&](const ExprVisit& visit) {
    ExprKind kind = KindOf(visit.expr);
    if (kind == ExprKind::kUnreachable) ++facts.unreachable;
    if (kind != ExprKind::kCall) return;
    std::string callee = BinaryenCallGetTarget(visit.expr);
    if (aborts.contains(callee)) ++facts.abort_calls;
    facts.callees.insert(std::move(callee));
  });
  return facts;
}

// Functions reachable from ws_frame / ws_input by direct calls only.
std::set<std::string> FramePath(BinaryenModuleRef module, const std::map<std::string, FunctionFacts>& facts) {
  std::vector<std::string> pending;
  for (std::string_view root : kFrameRoots) {
    BinaryenExportRef exported = BinaryenGetExport(module, std::string(root).c_str());
    if (exported != nullptr && BinaryenExportGetKind(exported) == BinaryenExternalFunction()) {
      pending.push_back(BinaryenExportGetValue(exported));
    }
  }
  std::set<std::string> reached;
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    if (!reached.insert(name).second) continue;
    auto found = facts.find(name);
    if (found == facts.end()) continue;  // an import
    for (const std::string& callee : found->second.callees) pending.push_back(callee);
  }
  return reached;
}

Result<std::string> RunTrapAudit(Module& module, PassContext& context) {
  context.result.traps = AuditTraps(module.get());
  uint32_t sites = 0;
  uint32_t on_path = 0;
  for (const TrapSites& entry : context.result.traps) {
    sites += entry.unreachable + entry.abort_calls;
    on_path += entry.on_frame_path;
  }
  return std::to_string(sites) + " trap sites in " + std::to_string(context.result.traps.size()) +
         " functions, " + std::to_string(on_path) +
         " of them reachable from ws_frame/ws_input by direct calls";
}

}  // namespace

std::vector<TrapSites> AuditTraps(BinaryenModuleRef module) {
  std::vector<BinaryenFunctionRef> functions = FunctionsInIndexOrder(module);
  std::set<std::string> aborts;
  for (BinaryenFunctionRef function : functions) {
    if (IsAbortLike(BinaryenFunctionGetName(function))) aborts.insert(BinaryenFunctionGetName(function));
  }
  std::map<std::string, FunctionFacts> facts;
  for (uint32_t index = 0; index < functions.size(); ++index) {
    if (IsImported(functions[index])) continue;
    facts.emplace(BinaryenFunctionGetName(functions[index]), Inspect(functions[index], index, aborts));
  }
  std::set<std::string> frame_path = FramePath(module, facts);
  std::vector<TrapSites> traps;
  for (const auto& [name, fact] : facts) {
    if (fact.unreachable + fact.abort_calls == 0) continue;
    traps.push_back(
        {DisplayName(name, fact.index), fact.unreachable, fact.abort_calls, frame_path.contains(name)});
  }
  // Entries equal in every compared field are indistinguishable, so the
  // order is deterministic.
  std::sort(traps.begin(), traps.end(), [](const TrapSites& a, const TrapSites& b) {
    auto key = [](const TrapSites& t) {
      return std::make_tuple(-static_cast<int64_t>(t.unreachable + t.abort_calls), std::cref(t.function),
                             -static_cast<int64_t>(t.unreachable), !t.on_frame_path);
    };
    return key(a) < key(b);
  });
  return traps;
}

const CustomPass kTrapAuditPass = {
    "trap-audit",
    PassStage::kAudit,
    [](const OptimizeOptions&) { return true; },
    RunTrapAudit,
};

}  // namespace ws::opt
