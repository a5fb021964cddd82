#include "wasm-opt-passes/strip_logs_pass.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "host-abi/host_abi.h"
#include "wasm-opt-passes/expression_walker.h"
#include "wasm-opt-passes/wasm_sections.h"

namespace ws::opt {
namespace {

constexpr std::string_view kLogModule = host_abi::kImportLog.module;
constexpr std::string_view kLogBase = host_abi::kImportLog.name;
// Where a removed call stood in a position that needs a call, a call to
// this empty function of the same type takes its place.
constexpr char kEmptyLogName[] = "ws$stripped_log";

struct TextRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct CallSite {
  BinaryenFunctionRef function;
  ExprVisit visit;
};

struct Removal {
  StripLogsStats stats;
  std::vector<TextRange> texts;
  std::unordered_set<BinaryenExpressionRef> detached_constants;  // operands of retargeted calls
};

BinaryenType LogParams() {
  BinaryenType i32[] = {BinaryenTypeInt32(), BinaryenTypeInt32(), BinaryenTypeInt32()};
  return BinaryenTypeCreate(i32, 3);
}

bool HasLogSignature(BinaryenFunctionRef function) {
  return BinaryenFunctionGetParams(function) == LogParams() &&
         BinaryenFunctionGetResults(function) == BinaryenTypeNone();
}

std::optional<int32_t> ConstI32(BinaryenExpressionRef expr) {
  if (KindOf(expr) != ExprKind::kConst || BinaryenExpressionGetType(expr) != BinaryenTypeInt32()) {
    return std::nullopt;
  }
  return BinaryenConstGetValueI32(expr);
}

bool ForwardsParamsTo(BinaryenFunctionRef function, const std::set<std::string>& targets) {
  BinaryenExpressionRef body = BinaryenFunctionGetBody(function);
  if (BinaryenFunctionGetNumVars(function) != 0 || KindOf(body) != ExprKind::kCall ||
      BinaryenCallIsReturn(body) || !targets.contains(BinaryenCallGetTarget(body))) {
    return false;
  }
  for (BinaryenIndex i = 0; i < 3; ++i) {
    BinaryenExpressionRef operand = BinaryenCallGetOperandAt(body, i);
    if (KindOf(operand) != ExprKind::kLocalGet || BinaryenLocalGetGetIndex(operand) != i) return false;
  }
  return true;
}

// The import and the thin wrappers that only forward to it.
std::set<std::string> LogTargets(BinaryenModuleRef module, BinaryenFunctionRef import) {
  std::set<std::string> targets = {BinaryenFunctionGetName(import)};
  for (bool grew = true; grew;) {
    grew = false;
    for (BinaryenFunctionRef function : FunctionsInIndexOrder(module)) {
      if (IsImported(function) || !HasLogSignature(function)) continue;
      if (targets.contains(BinaryenFunctionGetName(function))) continue;
      if (ForwardsParamsTo(function, targets))
        grew |= targets.insert(BinaryenFunctionGetName(function)).second;
    }
  }
  return targets;
}

std::vector<CallSite> FindCalls(BinaryenModuleRef module, const std::set<std::string>& targets) {
  std::vector<CallSite> sites;
  for (BinaryenFunctionRef function : FunctionsInIndexOrder(module)) {
    // A wrapper's own forwarding call is not a log statement.
    if (IsImported(function) || targets.contains(BinaryenFunctionGetName(function))) continue;
    WalkExpressions(BinaryenFunctionGetBody(function), [&](const ExprVisit& visit) {
      if (KindOf(visit.expr) == ExprKind::kCall && !BinaryenCallIsReturn(visit.expr) &&
          targets.contains(BinaryenCallGetTarget(visit.expr))) {
        sites.push_back({function, visit});
      }
    });
  }
  return sites;
}

bool HasNoSideEffects(BinaryenExpressionRef expr, BinaryenModuleRef module) {
  const BinaryenSideEffects reads = BinaryenSideEffectReadsLocal() | BinaryenSideEffectReadsGlobal() |
                                    BinaryenSideEffectReadsMemory() | BinaryenSideEffectReadsTable();
  return (BinaryenExpressionGetSideEffects(expr, module) & ~reads) == 0;
}

bool Removable(BinaryenExpressionRef call, BinaryenModuleRef module, int below) {
  std::optional<int32_t> level = ConstI32(BinaryenCallGetOperandAt(call, 0));
  return level && *level < below && HasNoSideEffects(BinaryenCallGetOperandAt(call, 1), module) &&
         HasNoSideEffects(BinaryenCallGetOperandAt(call, 2), module);
}

const char* EmptyLogFunction(BinaryenModuleRef module) {
  if (BinaryenGetFunction(module, kEmptyLogName) == nullptr) {
    BinaryenAddFunction(module, kEmptyLogName, LogParams(), BinaryenTypeNone(), nullptr, 0, BinaryenNop(module));
  }
  return kEmptyLogName;
}

void RemoveCall(BinaryenModuleRef module, const CallSite& site, Removal& removal) {
  BinaryenExpressionRef call = site.visit.expr;
  std::optional<int32_t> ptr = ConstI32(BinaryenCallGetOperandAt(call, 1));
  std::optional<int32_t> len = ConstI32(BinaryenCallGetOperandAt(call, 2));
  uint64_t end = uint64_t{static_cast<uint32_t>(ptr.value_or(0))} + static_cast<uint32_t>(len.value_or(0));
  if (ptr && len && *len > 0 && end <= UINT32_MAX) {
    removal.texts.push_back({static_cast<uint32_t>(*ptr), static_cast<uint32_t>(end)});
  }
  ++removal.stats.calls_removed;
  if (site.visit.parent == nullptr) {
    BinaryenFunctionSetBody(site.function, BinaryenNop(module));
  } else if (!ReplaceChild(site.visit.parent, site.visit.slot, BinaryenNop(module))) {
    BinaryenCallSetTarget(call, EmptyLogFunction(module));
    for (BinaryenIndex i = 0; i < 3; ++i)
      removal.detached_constants.insert(BinaryenCallGetOperandAt(call, i));
  }
}

// Every i32.const in code and global initializers, and every 32-bit word
// of the data segments: anything that may hold an address.
std::vector<uint32_t> PossibleAddresses(BinaryenModuleRef module, std::span<const uint8_t> wasm,
                                        const std::vector<DataSegmentView>& segments,
                                        const std::unordered_set<BinaryenExpressionRef>& detached) {
  std::vector<uint32_t> addresses;
  WalkModuleCode(module, [&](const ExprVisit& visit) {
    std::optional<int32_t> value = ConstI32(visit.expr);
    if (value && !detached.contains(visit.expr)) addresses.push_back(static_cast<uint32_t>(*value));
  });
  for (const DataSegmentView& segment : segments) {
    // The wasm32 C/C++ ABI aligns pointers to 4 bytes; unaligned words are
    // mostly pieces of other values (a passive segment's address is unknown,
    // so every position counts there).
    size_t first = segment.constant_address ? (4 - segment.address % 4) % 4 : 0;
    size_t step = segment.constant_address ? 4 : 1;
    for (size_t i = first; i + 4 <= segment.size; i += step) {
      const uint8_t* p = wasm.data() + segment.file_offset + i;
      addresses.push_back(p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24);
    }
  }
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

const DataSegmentView* SegmentHolding(const std::vector<DataSegmentView>& segments, TextRange text) {
  for (const DataSegmentView& segment : segments) {
    if (segment.constant_address && text.begin >= segment.address &&
        uint64_t{text.end} <= uint64_t{segment.address} + segment.size) {
      return &segment;
    }
  }
  return nullptr;
}

bool StillReferenced(const std::vector<uint32_t>& addresses, TextRange text, const DataSegmentView& segment,
                     std::span<const uint8_t> wasm) {
  auto first = std::lower_bound(addresses.begin(), addresses.end(), text.begin);
  if (first != addresses.end() && *first < text.end) return true;
  if (first == addresses.begin()) return false;
  uint32_t below = *(first - 1);
  if (below < segment.address) return false;
  const uint8_t* bytes = wasm.data() + segment.file_offset - segment.address;
  return std::find(bytes + below, bytes + text.begin, 0) == bytes + text.begin;
}

// Zeroes the texts nothing else may read; returns how many bytes changed.
Result<uint64_t> ZeroUnusedTexts(Module& module, const Removal& removal) {
  if (removal.texts.empty()) return uint64_t{0};
  std::vector<uint8_t> wasm = module.Write(/*names=*/true);
  Result<std::vector<DataSegmentView>> segments = FindDataSegments(wasm);
  if (!segments) return uint64_t{0};  // a layout we do not understand: keep every string
  std::vector<uint32_t> addresses =
      PossibleAddresses(module.get(), wasm, *segments, removal.detached_constants);
  std::vector<uint8_t> patched = wasm;
  uint64_t zeroed = 0;
  for (TextRange text : removal.texts) {
    const DataSegmentView* segment = SegmentHolding(*segments, text);
    if (segment == nullptr || StillReferenced(addresses, text, *segment, wasm)) continue;
    for (uint32_t address = text.begin; address < text.end; ++address) {
      uint8_t& byte = patched[segment->file_offset + (address - segment->address)];
      zeroed += byte != 0;
      byte = 0;
    }
  }
  if (zeroed > 0) {
    if (Status reloaded = module.Reload(patched); !reloaded) return reloaded.error();
  }
  return zeroed;
}

std::string LevelName(int level) {
  const auto& names = host_abi::kLogLevelNames;
  if (level >= 0 && level < static_cast<int>(std::size(names))) return std::string(names[level]);
  return std::to_string(level);
}

Result<std::string> RunStripLogs(Module& module, PassContext& context) {
  int below = context.options.strip_logs_below;
  Result<StripLogsStats> stats = StripLogs(module, below);
  if (!stats) return stats.error();
  return "removed " + std::to_string(stats->calls_removed) + " of " +
         std::to_string(stats->calls_removed + stats->calls_kept) + " calls to ws_host.log below level " +
         std::to_string(below) + " (" + LevelName(below) + ") and " +
         std::to_string(stats->string_bytes_removed) + " bytes of strings";
}

}  // namespace

Result<StripLogsStats> StripLogs(Module& module, int below) {
  BinaryenModuleRef ref = module.get();
  BinaryenFunctionRef import = FindFunctionImport(ref, kLogModule, kLogBase);
  if (import == nullptr || !HasLogSignature(import)) return StripLogsStats{};
  Removal removal;
  for (const CallSite& site : FindCalls(ref, LogTargets(ref, import))) {
    if (Removable(site.visit.expr, ref, below)) {
      RemoveCall(ref, site, removal);
    } else {
      ++removal.stats.calls_kept;
    }
  }
  Result<uint64_t> zeroed = ZeroUnusedTexts(module, removal);
  if (!zeroed) return zeroed.error();
  removal.stats.string_bytes_removed = *zeroed;
  return removal.stats;
}

const CustomPass kStripLogsPass = {
    "strip-logs",
    PassStage::kBeforePipeline,
    [](const OptimizeOptions& options) { return options.strip_logs_below >= 0; },
    RunStripLogs,
};

}  // namespace ws::opt
