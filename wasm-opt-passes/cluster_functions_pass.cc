#include "wasm-opt-passes/cluster_functions_pass.h"

#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <memory>
#include <span>
#include <string>

#include "wasm-opt-passes/pipelines.h"
#include "wasm-opt-passes/wasm_sections.h"

namespace ws::opt {
namespace {

constexpr size_t kHashes = 128;
constexpr size_t kShingle = 3;
// A chain step compares with at most this many unplaced functions (the
// first ones in module order), so huge modules stay O(n) per step.
constexpr size_t kSearchWindow = 2048;
constexpr int kZstdLevel = 19;

using Signature = std::array<uint32_t, kHashes>;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

Signature MinHash(std::span<const uint8_t> body) {
  Signature signature;
  signature.fill(std::numeric_limits<uint32_t>::max());
  for (size_t i = 0; i + kShingle <= body.size(); ++i) {
    uint64_t shingle = Mix(body[i] | body[i + 1] << 8 | uint64_t{body[i + 2]} << 16);
    for (size_t h = 0; h < kHashes; ++h) {
      auto value = static_cast<uint32_t>(Mix(shingle + h * 0x9E3779B97F4A7C15ULL));
      signature[h] = std::min(signature[h], value);
    }
  }
  return signature;
}

int Similarity(const Signature& a, const Signature& b) {
  int same = 0;
  for (size_t h = 0; h < kHashes; ++h) same += a[h] == b[h];
  return same;
}

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

std::vector<BinaryenFunctionRef> DefinedFunctions(BinaryenModuleRef module) {
  std::vector<BinaryenFunctionRef> defined;
  for (BinaryenFunctionRef function : FunctionsInIndexOrder(module)) {
    if (!IsImported(function)) defined.push_back(function);
  }
  return defined;
}

bool IsIdentity(const std::vector<uint32_t>& order) {
  for (uint32_t i = 0; i < order.size(); ++i) {
    if (order[i] != i) return false;
  }
  return true;
}

std::string Percent(uint64_t before, uint64_t after) {
  double change =
      before == 0 ? 0 : 100.0 * (static_cast<double>(after) - static_cast<double>(before)) / before;
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", change);
  return text;
}

Result<std::string> RunClusterFunctions(Module& module, PassContext& context) {
  BinaryenSettings settings = SettingsFor(context.options.pipeline, /*debug_info=*/!context.options.strip);
  Result<ClusterStats> stats = ClusterFunctions(module, settings);
  if (!stats) return stats.error();
  std::string sizes = std::to_string(stats->zstd_before) + " → " + std::to_string(stats->zstd_reordered) +
                      " bytes (" + Percent(stats->zstd_before, stats->zstd_reordered) + ")";
  if (stats->applied) {
    return "ordered " + std::to_string(stats->functions) + " functions by similarity: zstd -19 " + sizes;
  }
  if (stats->zstd_reordered == 0)
    return "kept the order of " + std::to_string(stats->functions) + " functions";
  return "kept the original order: by similarity zstd -19 would be " + sizes;
}

}  // namespace

std::vector<uint32_t> SimilarityOrder(const std::vector<std::span<const uint8_t>>& bodies) {
  std::vector<Signature> signatures;
  signatures.reserve(bodies.size());
  for (std::span<const uint8_t> body : bodies) signatures.push_back(MinHash(body));
  std::vector<uint32_t> unplaced(bodies.size());
  for (uint32_t i = 0; i < unplaced.size(); ++i) unplaced[i] = i;
  std::vector<uint32_t> order;
  order.reserve(bodies.size());
  size_t next = 0;  // position in `unplaced` of the chain's next function
  while (!unplaced.empty()) {
    uint32_t current = unplaced[next];
    unplaced.erase(unplaced.begin() + static_cast<std::ptrdiff_t>(next));
    order.push_back(current);
    int best = -1;
    size_t window = std::min(unplaced.size(), kSearchWindow);
    for (size_t i = 0; i < window; ++i) {
      int similarity = Similarity(signatures[current], signatures[unplaced[i]]);
      if (similarity > best) {  // ties go to the earlier function
        best = similarity;
        next = i;
      }
    }
  }
  return order;
}

uint64_t CompressedSize(std::span<const uint8_t> bytes) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(), &ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, kZstdLevel);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_enableLongDistanceMatching, 1);
  std::vector<uint8_t> out(ZSTD_compressBound(bytes.size()));
  size_t size = ZSTD_compress2(context.get(), out.data(), out.size(), bytes.data(), bytes.size());
  return ZSTD_isError(size) ? bytes.size() : size;
}

Result<ClusterStats> ClusterFunctions(Module& module, const BinaryenSettings& settings) {
  std::vector<BinaryenFunctionRef> defined = DefinedFunctions(module.get());
  ClusterStats stats;
  stats.functions = static_cast<uint32_t>(defined.size());
  std::vector<uint8_t> stripped = module.Write(/*names=*/false);
  Result<std::vector<std::span<const uint8_t>>> bodies = FunctionBodies(stripped);
  if (!bodies) return bodies.error();
  if (bodies->size() != defined.size()) return Error{"code section does not match the module's functions"};
  std::vector<uint32_t> order = SimilarityOrder(*bodies);
  if (IsIdentity(order)) return stats;

  std::vector<uint8_t> original = module.Write(/*names=*/true);
  stats.zstd_before = CompressedSize(stripped);
  Reorder(module.get(), defined, order);
  if (Status ran = RunPasses(module, StackIrPasses(), settings); !ran) return ran.error();
  stats.zstd_reordered = CompressedSize(module.Write(/*names=*/false));
  stats.applied = stats.zstd_reordered < stats.zstd_before;
  if (!stats.applied) {
    if (Status reloaded = module.Reload(original); !reloaded) return reloaded.error();
    if (Status ran = RunPasses(module, StackIrPasses(), settings); !ran) return ran.error();
  }
  return stats;
}

const CustomPass kClusterFunctionsPass = {
    "cluster-functions",
    PassStage::kAfterPipeline,
    [](const OptimizeOptions& options) { return options.pipeline == Pipeline::kSize; },
    RunClusterFunctions,
};

}  // namespace ws::opt
