// Optimize(): reads the module, checks its features, runs our passes and
// Binaryen's around them, audits, validates, strips and writes, recording
// size and time of every step in OptimizeResult::passes.
#include <algorithm>
#include <chrono>
#include <utility>

#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/feature_validation.h"
#include "wasm-opt-passes/known_passes.h"
#include "wasm-opt-passes/names.h"
#include "wasm-opt-passes/pass_registry.h"
#include "wasm-opt-passes/pipelines.h"
#include "wasm-opt-passes/wasm_sections.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {
namespace {

// Measures each step: size by writing the module (names included until
// the strip step, so that it shows what they cost), time around the step
// only. The bytes last written are kept: when no step changed the module
// since (a debug build runs audits only), they are the output as they are,
// and the module is written once.
class Accountant {
 public:
  Accountant(Module& module, std::vector<PassReport>& reports) : module_(module), reports_(reports) {
    Measure(/*names=*/true);
  }

  // The first entry: reading and checking the input, which Binaryen
  // re-encodes (and from which DWARF is dropped).
  void RecordRead(uint64_t input_size, double ms, std::string summary) {
    reports_.push_back({"read", input_size, bytes_.size(), ms, std::move(summary)});
  }

  // `step` returns Result<std::string>: its summary. `names_after`: whether
  // the module is written with names from now on. `changes`: whether the
  // step may change the module (an audit does not).
  template <typename Step>
  Status Record(std::string name, Step&& step, bool names_after = true, bool changes = true) {
    PassReport report{std::move(name), bytes_.size(), 0, 0, ""};
    auto start = std::chrono::steady_clock::now();
    Result<std::string> summary = step();
    report.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!summary) return Error{report.name + ": " + summary.error().message};
    if (changes || names_after != names_) Measure(names_after);
    changed_ |= changes;
    report.bytes_after = bytes_.size();
    report.summary = std::move(*summary);
    reports_.push_back(std::move(report));
    return {};
  }

  // Whether any recorded step may have changed the module.
  bool changed() const { return changed_; }

  // The module's bytes, with or without names.
  std::vector<uint8_t> TakeBytes(bool names) {
    if (names != names_) Measure(names);
    return std::move(bytes_);
  }

 private:
  void Measure(bool names) {
    bytes_ = module_.Write(names);
    names_ = names;
  }

  Module& module_;
  std::vector<PassReport>& reports_;
  std::vector<uint8_t> bytes_;
  bool names_ = true;
  bool changed_ = false;
};

Status RunStage(PassStage stage, Module& module, PassContext& context, Accountant& accountant) {
  for (const CustomPass* pass : CustomPasses()) {
    if (pass->stage != stage || !pass->enabled(context.options)) continue;
    Status done = accountant.Record(
        std::string(pass->name), [&] { return pass->run(module, context); }, /*names_after=*/true,
        /*changes=*/stage != PassStage::kAudit);
    if (!done) return done;
  }
  return {};
}

std::vector<std::string> RemoveUnkeptExports(BinaryenModuleRef module, const std::vector<std::string>& keep) {
  std::vector<std::string> removed;
  for (BinaryenIndex i = 0, n = BinaryenGetNumExports(module); i < n; ++i) {
    std::string name = BinaryenExportGetName(BinaryenGetExportByIndex(module, i));
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) removed.push_back(std::move(name));
  }
  for (const std::string& name : removed) BinaryenRemoveExport(module, name.c_str());
  std::sort(removed.begin(), removed.end());
  return removed;
}

std::string ExportList(const std::vector<std::string>& names) {
  std::string list = std::to_string(names.size()) + (names.size() == 1 ? " export" : " exports");
  for (size_t i = 0; i < names.size(); ++i) list += (i == 0 ? " (" : ", ") + names[i];
  return names.empty() ? list : list + ")";
}

// Exports not in keep_exports go first, so that remove-unused-module-elements
// drops everything only they reached (what emscripten's metadce does).
Result<std::string> Metadce(Module& module, const OptimizeOptions& options,
                            const BinaryenSettings& settings) {
  BinaryenIndex functions_before = BinaryenGetNumFunctions(module.get());
  std::vector<std::string> removed;
  // An empty list means "no list": keep every export.
  if (!options.keep_exports.empty()) removed = RemoveUnkeptExports(module.get(), options.keep_exports);
  if (Status ran = RunPasses(module, MetadcePasses(), settings); !ran) return ran.error();
  return "removed " + ExportList(removed) + " and " +
         std::to_string(functions_before - BinaryenGetNumFunctions(module.get())) + " unreachable functions";
}

// Repeats -Oz while the module shrinks; a round that does not help is undone.
Result<std::string> SizeRounds(Module& module, const BinaryenSettings& settings) {
  std::vector<uint8_t> best = module.Write(/*names=*/true);
  std::string sizes = std::to_string(best.size());
  int rounds = 0;
  while (rounds < kMaxSizeRounds) {
    if (Status ran = RunPasses(module, SizeRoundPasses(), settings); !ran) return ran.error();
    ++rounds;
    std::vector<uint8_t> now = module.Write(/*names=*/true);
    sizes += " → " + std::to_string(now.size());
    if (now.size() >= best.size()) {
      if (now.size() > best.size()) {
        if (Status reloaded = module.Reload(best); !reloaded) return reloaded.error();
        // Binaryen writes the Stack IR it optimized; a reloaded module has none.
        if (Status ran = RunPasses(module, StackIrPasses(), settings); !ran) return ran.error();
      }
      break;
    }
    best = std::move(now);
  }
  return "Binaryen -Oz (" + std::to_string(SizeRoundPasses().size()) + " passes) x" + std::to_string(rounds) +
         ", bytes " + sizes;
}

Result<std::string> SpeedRun(Module& module, const BinaryenSettings& settings) {
  if (Status ran = RunPasses(module, SpeedPasses(), settings); !ran) return ran.error();
  return "Binaryen -O3 (" + std::to_string(SpeedPasses().size()) + " passes)";
}

std::map<uint32_t, std::string> SymbolMap(BinaryenModuleRef module) {
  std::map<uint32_t, std::string> symbols;
  std::vector<BinaryenFunctionRef> functions = FunctionsInIndexOrder(module);
  for (uint32_t i = 0; i < functions.size(); ++i) {
    std::string name = BinaryenFunctionGetName(functions[i]);
    if (!IsUnnamed(name)) symbols.emplace(i, Unescape(name));
  }
  return symbols;
}

Status RunBinaryen(Module& module, const OptimizeOptions& options, Accountant& accountant) {
  BinaryenSettings settings = SettingsFor(options, /*debug_info=*/!options.strip);
  if (options.pipeline == Pipeline::kSize) {
    Status done = accountant.Record("metadce", [&] { return Metadce(module, options, settings); });
    if (!done) return done;
    return accountant.Record("binaryen-oz", [&] { return SizeRounds(module, settings); });
  }
  if (options.pipeline == Pipeline::kSpeed) {
    return accountant.Record("binaryen-o3", [&] { return SpeedRun(module, settings); });
  }
  return {};
}

std::string ReadSummary(const Module& module) {
  std::string summary = "read " + std::to_string(BinaryenGetNumFunctions(module.get())) +
                        " functions, all within the variant's features";
  if (module.dropped_dwarf_bytes() == 0) return summary;
  return summary + "; dropped " + std::to_string(module.dropped_dwarf_bytes()) +
         " bytes of DWARF (Binaryen 108 cannot keep it correct)";
}

// Our passes and Binaryen's, the audit, and the final validation.
Status Transform(Module& module, PassContext& context, Accountant& accountant) {
  if (Status done = RunStage(PassStage::kBeforePipeline, module, context, accountant); !done) return done;
  if (Status done = RunBinaryen(module, context.options, accountant); !done) return done;
  if (Status done = RunStage(PassStage::kAfterPipeline, module, context, accountant); !done) return done;
  if (Status done = RunStage(PassStage::kAudit, module, context, accountant); !done) return done;
  // The input was validated when read; only a changed module needs it again.
  if (!accountant.changed()) return {};
  if (Status valid = ValidateLoaded(module); !valid)
    return Error{"after optimizing: " + valid.error().message};
  return {};
}

Status Strip(Module& module, const OptimizeOptions& options, Accountant& accountant) {
  auto strip = [&]() -> Result<std::string> {
    BinaryenSettings settings = SettingsFor(options, /*debug_info=*/false);
    if (Status ran = RunPasses(module, StripPasses(), settings); !ran) return ran.error();
    // Binaryen keeps custom sections it does not know (clang's
    // llvm.func_attr.annotate.* from UI_COMPOSABLE, for one); none is for devices.
    uint64_t dropped = 0;
    Result<std::vector<uint8_t>> bare = WithoutCustomSections(module.Write(/*names=*/false), "", dropped);
    if (!bare) return bare.error();
    std::string summary = "removed the name section, producers and target_features";
    if (dropped == 0) return summary;
    if (Status reloaded = module.Reload(*bare); !reloaded) return reloaded.error();
    if (Status ran = RunPasses(module, StackIrPasses(), settings); !ran) return ran.error();
    return summary + ", and " + std::to_string(dropped) + " bytes of other custom sections";
  };
  return accountant.Record("strip", strip, /*names_after=*/false);
}

}  // namespace

Result<OptimizeResult> Optimize(std::span<const uint8_t> wasm, const OptimizeOptions& options) {
  // Every name is checked again right before its run; checking all of them
  // first fails a bad list before any work.
  if (Status known = CheckPassNames(PipelinePasses(options.pipeline)); !known) return known.error();
  if (Status known = CheckPassNames(StripPasses()); !known) return known.error();
  auto start = std::chrono::steady_clock::now();
  Result<Module> module = Module::Read(wasm, FeatureMask(options.features),
                                       options.linker_output ? Module::Origin::kToolchain : Module::Origin::kAnyone);
  if (!module) return module.error();
  if (Status valid = ValidateLoaded(*module); !valid) return valid.error();
  double read_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  OptimizeResult result;
  PassContext context{options, result};
  Accountant accountant(*module, result.passes);
  accountant.RecordRead(wasm.size(), read_ms, ReadSummary(*module));
  if (Status done = Transform(*module, context, accountant); !done) return done.error();
  // Taken before stripping: the names are still there, the indices final.
  result.symbols = SymbolMap(module->get());
  if (options.strip) {
    if (Status done = Strip(*module, options, accountant); !done) return done.error();
  }
  result.wasm = accountant.TakeBytes(/*names=*/!options.strip);
  return result;
}

}  // namespace ws::opt
