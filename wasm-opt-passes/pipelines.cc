#include "wasm-opt-passes/pipelines.h"

namespace ws::opt {
namespace {

// Binaryen 108's per-function pipeline at -Oz (optimize 2, shrink 2) and
// -O3 (optimize 3, shrink 0) is the same list; they differ in the global
// passes around it and in how each pass behaves at its level.
std::vector<std::string> FunctionPasses() {
  return {
      "ssa-nomerge",
      "dce",
      "remove-unused-names",
      "remove-unused-brs",
      "remove-unused-names",
      "optimize-instructions",
      "pick-load-signs",
      "precompute-propagate",
      "code-pushing",
      "simplify-locals-nostructure",
      "vacuum",
      "reorder-locals",
      "remove-unused-brs",
      "merge-locals",
      "coalesce-locals",
      "local-cse",
      "simplify-locals",
      "vacuum",
      "reorder-locals",
      "coalesce-locals",
      "reorder-locals",
      "vacuum",
      "code-folding",
      "merge-blocks",
      "remove-unused-brs",
      "remove-unused-names",
      "merge-blocks",
      "precompute-propagate",
      "optimize-instructions",
      "rse",
      "vacuum",
  };
}

std::vector<std::string> DefaultPipeline(bool merge_similar) {
  std::vector<std::string> passes = {"duplicate-function-elimination", "memory-packing", "once-reduction"};
  for (std::string& pass : FunctionPasses()) passes.push_back(std::move(pass));
  for (const char* pass : {"dae-optimizing", "inlining-optimizing", "duplicate-function-elimination",
                           "duplicate-import-elimination"}) {
    passes.push_back(pass);
  }
  if (merge_similar) passes.push_back("merge-similar-functions");
  for (const char* pass : {"simplify-globals-optimizing", "remove-unused-module-elements", "directize"}) {
    passes.push_back(pass);
  }
  for (std::string& pass : StackIrPasses()) passes.push_back(std::move(pass));
  return passes;
}

}  // namespace

std::vector<std::string> MetadcePasses() { return {"remove-unused-module-elements"}; }

std::vector<std::string> SizeRoundPasses() { return DefaultPipeline(/*merge_similar=*/true); }

std::vector<std::string> SpeedPasses() { return DefaultPipeline(/*merge_similar=*/false); }

std::vector<std::string> StackIrPasses() { return {"generate-stack-ir", "optimize-stack-ir"}; }

std::vector<std::string> StripPasses() { return {"strip-debug", "strip-producers", "strip-target-features"}; }

std::vector<std::string> PipelinePasses(Pipeline pipeline) {
  std::vector<std::string> passes;
  auto append = [&passes](std::vector<std::string> more) {
    for (std::string& pass : more) passes.push_back(std::move(pass));
  };
  if (pipeline == Pipeline::kSize) {
    append(MetadcePasses());
    append(SizeRoundPasses());  // repeated while the module shrinks
    append(StackIrPasses());    // again, after stable-order rebuilt the functions
  } else if (pipeline == Pipeline::kSpeed) {
    append(SpeedPasses());
  }
  return passes;
}

BinaryenSettings SettingsFor(const OptimizeOptions& options, bool debug_info) {
  Pipeline pipeline = options.pipeline;
  BinaryenSettings settings;
  settings.debug_info = debug_info;
  settings.low_memory_unused = options.low_memory_unused && pipeline != Pipeline::kDebug;
  if (pipeline == Pipeline::kSize) {
    settings.optimize_level = 2;
    settings.shrink_level = 2;
  } else if (pipeline == Pipeline::kSpeed) {
    settings.optimize_level = 3;
    settings.shrink_level = 0;
  }
  return settings;
}

}  // namespace ws::opt
