#include "wasm-opt-passes/feature_validation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <vector>

#include "wasm-binary/symbol_names.h"
#include "wasm-opt-passes/names.h"
#include "wasm-opt-passes/stderr_capture.h"

namespace ws::opt {
namespace {

constexpr std::string_view kBlockStart = "[wasm-validator error in ";
constexpr std::string_view kFunctionPrefix = "function ";

using wasm::WasmFeature;

struct FeatureClue {
  WasmFeature feature;
  std::array<std::string_view, 11> keywords;  // unused slots stay empty
};

// Checked in this order (one clue per feature); keywords are matched
// against the lower-cased message and instruction text. A clue counts only
// when the variant lacks its feature: a SIMD function can also be wrong in a
// SIMD variant. The sentence names the feature by its description.
constexpr std::array<FeatureClue, wasm::kWasmFeatureCount> kFeatureClues = {{
    {WasmFeature::simd, {"simd", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"}},
    {WasmFeature::threads, {"atomic", "shared memory", "threads"}},
    {WasmFeature::bulk_memory,
     {"bulk memory", "bulk-memory", "memory.copy", "memory.fill", "memory.init", "data.drop"}},
    {WasmFeature::nontrapping_fptoint, {"nontrapping", "non-trapping", "trunc_sat"}},
    {WasmFeature::sign_ext, {"sign ext", "sign-ext", "extend8_s", "extend16_s", "extend32_s"}},
    {WasmFeature::tail_call, {"tail call", "tail-call", "return_call"}},
    {WasmFeature::multivalue, {"multivalue", "multi-value", "tuple", "multiple results"}},
    {WasmFeature::reference_types,
     {"reference types", "reference-types", "funcref", "externref", "ref.null", "ref.func", "ref.is_null",
      "table.get", "table.set", "table.size", "table.grow"}},
    {WasmFeature::mutable_globals, {"mutable global", "mutable-global"}},
}};
static_assert(
    [] {
      std::array<int, wasm::kWasmFeatureCount> seen{};
      for (const FeatureClue& clue : kFeatureClues) ++seen[static_cast<size_t>(clue.feature)];
      return std::ranges::all_of(seen, [](int n) { return n == 1; });
    }(),
    "every row of wasm_features.def needs exactly one clue here");

struct LogBlock {
  std::string function;  // internal name; empty for module-level errors
  std::string text;      // message and the printed instruction
};

std::vector<LogBlock> SplitLog(std::string_view log) {
  std::vector<LogBlock> blocks;
  for (size_t start = log.find(kBlockStart); start != std::string_view::npos;) {
    size_t next = log.find(kBlockStart, start + kBlockStart.size());
    std::string_view block = log.substr(start, next - start);
    size_t close = block.find("] ");
    std::string_view where = block.substr(kBlockStart.size(), close - kBlockStart.size());
    LogBlock parsed;
    if (where.starts_with(kFunctionPrefix)) parsed.function = where.substr(kFunctionPrefix.size());
    parsed.text = close == std::string_view::npos ? std::string(block) : std::string(block.substr(close + 2));
    blocks.push_back(std::move(parsed));
    start = next;
  }
  return blocks;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

std::string_view FeatureOf(std::string_view text, BinaryenFeatures enabled) {
  std::string lower = Lower(text);
  for (const FeatureClue& clue : kFeatureClues) {
    if ((enabled & BinaryenMask(clue.feature)) != 0) continue;
    for (std::string_view keyword : clue.keywords) {
      bool found = !keyword.empty() && lower.find(keyword) != std::string::npos;
      if (found) return wasm::Info(clue.feature).description;
    }
  }
  return {};
}

std::string FirstLine(std::string_view text) {
  std::string_view line = text.substr(0, text.find('\n'));
  if (line.ends_with(", on ")) line.remove_suffix(5);
  if (line.starts_with("unexpected false: ")) line.remove_prefix(18);
  return std::string(line);
}

// The index of every function by internal name, to pick the first offender.
std::map<std::string, uint32_t> FunctionIndices(BinaryenModuleRef module) {
  std::map<std::string, uint32_t> indices;
  std::vector<BinaryenFunctionRef> functions = FunctionsInIndexOrder(module);
  for (uint32_t i = 0; i < functions.size(); ++i) indices.emplace(BinaryenFunctionGetName(functions[i]), i);
  return indices;
}

std::string FunctionLabel(const std::string& name, const std::map<std::string, uint32_t>& indices) {
  auto found = indices.find(name);
  if (found != indices.end()) return DisplayName(name, found->second);
  // Binaryen names an unnamed function by its index when it reads it.
  return IsUnnamed(name) ? "func[" + name + "]" : wasm::Demangle(Unescape(name));
}

}  // namespace

std::string DescribeValidatorLog(std::string_view log, BinaryenModuleRef module) {
  std::vector<LogBlock> blocks = SplitLog(log);
  if (blocks.empty()) return "the module does not validate (Binaryen gave no reason)";
  std::map<std::string, uint32_t> indices = FunctionIndices(module);
  auto rank = [&](const LogBlock& block) {
    if (block.function.empty()) return std::numeric_limits<uint32_t>::max();
    auto found = indices.find(block.function);
    return found == indices.end() ? std::numeric_limits<uint32_t>::max() - 1 : found->second;
  };
  const LogBlock& first = *std::min_element(
      blocks.begin(), blocks.end(), [&](const LogBlock& a, const LogBlock& b) { return rank(a) < rank(b); });
  // Another finding in the same place may name the feature when this one does not.
  std::string_view feature;
  for (const LogBlock& block : blocks) {
    if (block.function == first.function && feature.empty()) {
      feature = FeatureOf(block.text, BinaryenModuleGetFeatures(module));
    }
  }
  std::string subject =
      first.function.empty() ? "the module" : "function " + FunctionLabel(first.function, indices);
  if (!feature.empty())
    return subject + " uses " + std::string(feature) + ", which this variant does not have";
  return subject + " does not validate: " + FirstLine(first.text);
}

Status ValidateLoaded(const Module& module) {
  StderrCapture capture;
  bool valid = BinaryenModuleValidate(module.get());
  std::string log = capture.Finish();
  if (valid) return {};
  return Error{DescribeValidatorLog(log, module.get())};
}

Status ValidateFeatures(std::span<const uint8_t> wasm, const Features& features) {
  Result<Module> module = Module::Read(wasm, FeatureMask(features));
  if (!module) return module.error();
  return ValidateLoaded(*module);
}

std::optional<Features> ParseFeatureList(std::string_view list) {
  Features f;
  for (const wasm::WasmFeatureInfo& info : wasm::kWasmFeatureTable) f.*info.field = false;  // exactly the list
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (name == "mvp") continue;
    bool* field = f.Field(name);
    if (field == nullptr) return std::nullopt;
    *field = true;
  }
  return f;
}

}  // namespace ws::opt
