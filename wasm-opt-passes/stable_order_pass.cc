#include "wasm-opt-passes/stable_order_pass.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "wasm-binary/symbol_names.h"
#include "wasm-opt-passes/names.h"
#include "wasm-opt-passes/pipelines.h"

namespace ws::opt {
namespace {

struct FunctionCopy {
  std::string name;
  BinaryenType params = 0;
  BinaryenType results = 0;
  std::vector<BinaryenType> vars;
  BinaryenExpressionRef body = nullptr;
  std::vector<std::pair<BinaryenIndex, std::string>> local_names;
};

FunctionCopy Copy(BinaryenFunctionRef function) {
  FunctionCopy copy;
  copy.name = BinaryenFunctionGetName(function);
  copy.params = BinaryenFunctionGetParams(function);
  copy.results = BinaryenFunctionGetResults(function);
  copy.body = BinaryenFunctionGetBody(function);
  for (BinaryenIndex i = 0, n = BinaryenFunctionGetNumVars(function); i < n; ++i) {
    copy.vars.push_back(BinaryenFunctionGetVar(function, i));
  }
  for (BinaryenIndex i = 0, n = BinaryenFunctionGetNumLocals(function); i < n; ++i) {
    if (BinaryenFunctionHasLocalName(function, i)) {
      copy.local_names.emplace_back(i, BinaryenFunctionGetLocalName(function, i));
    }
  }
  return copy;
}

// The C API cannot move a function, so the defined functions are removed
// and added again in the new order. Bodies live in the module's arena and
// survive the removal; everything else refers to functions by name.
void Reorder(BinaryenModuleRef module, const std::vector<BinaryenFunctionRef>& defined,
             const std::vector<uint32_t>& order) {
  std::vector<FunctionCopy> copies;
  copies.reserve(order.size());
  for (uint32_t index : order) copies.push_back(Copy(defined[index]));
  for (const FunctionCopy& copy : copies) BinaryenRemoveFunction(module, copy.name.c_str());
  for (FunctionCopy& copy : copies) {
    BinaryenFunctionRef function =
        BinaryenAddFunction(module, copy.name.c_str(), copy.params, copy.results, copy.vars.data(),
                            static_cast<BinaryenIndex>(copy.vars.size()), copy.body);
    for (const auto& [index, name] : copy.local_names)
      BinaryenFunctionSetLocalName(function, index, name.c_str());
  }
}

bool IsIdentity(const std::vector<uint32_t>& order) {
  for (uint32_t i = 0; i < order.size(); ++i) {
    if (order[i] != i) return false;
  }
  return true;
}

Result<std::string> RunStableOrder(Module& module, PassContext& context) {
  BinaryenSettings settings = SettingsFor(context.options, /*debug_info=*/!context.options.strip);
  Result<StableOrderStats> stats = OrderFunctionsStably(module, settings);
  if (!stats) return stats.error();
  std::string counts = std::to_string(stats->functions - stats->app_functions) + " library and runtime, then " +
                       std::to_string(stats->app_functions) + " app functions, each by name";
  return stats->moved ? "ordered " + counts : "kept the order: already " + counts;
}

}  // namespace

bool IsAppFunction(const std::string& demangled) {
  // C functions come from libc and compiler-rt; the app is C++.
  if (demangled.find('(') == std::string::npos) return false;
  return wasm::ComponentByName(wasm::StripDedupSuffix(demangled)) == "app";
}

std::vector<uint32_t> StableOrder(const std::vector<std::string>& names) {
  std::vector<char> app(names.size());
  // The qualified name first: overloads and the instantiations of one
  // template sit together whatever their return types, and look alike.
  std::vector<std::string_view> qualified(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    app[i] = IsAppFunction(names[i]);
    qualified[i] = wasm::QualifiedName(wasm::StripBinaryenPrefix(names[i]));
  }
  std::vector<uint32_t> order(names.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) -> bool {
    if (app[a] != app[b]) return app[b] != 0;
    if (qualified[a] != qualified[b]) return qualified[a] < qualified[b];
    if (names[a] != names[b]) return names[a] < names[b];
    return a < b;
  });
  return order;
}

Result<StableOrderStats> OrderFunctionsStably(Module& module, const BinaryenSettings& settings) {
  std::vector<BinaryenFunctionRef> defined;
  std::vector<std::string> names;
  for (BinaryenFunctionRef function : FunctionsInIndexOrder(module.get())) {
    if (IsImported(function)) continue;
    std::string internal = BinaryenFunctionGetName(function);
    // Without a name section there is nothing stable to sort by.
    names.push_back(IsUnnamed(internal) ? "" : wasm::Demangle(Unescape(internal)));
    defined.push_back(function);
  }
  StableOrderStats stats;
  stats.functions = static_cast<uint32_t>(defined.size());
  for (const std::string& name : names) stats.app_functions += IsAppFunction(name);
  std::vector<uint32_t> order = StableOrder(names);
  if (IsIdentity(order)) return stats;
  Reorder(module.get(), defined, order);
  stats.moved = true;
  if (Status ran = RunPasses(module, StackIrPasses(), settings); !ran) return ran.error();
  return stats;
}

const CustomPass kStableOrderPass = {
    "stable-order",
    PassStage::kAfterPipeline,
    [](const OptimizeOptions& options) { return options.pipeline == Pipeline::kSize; },
    RunStableOrder,
};

}  // namespace ws::opt
