#include "wasm-opt-passes/known_passes.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "diagnostics/suggest.h"

namespace ws::opt {
namespace {

// Sorted, so that lookups can binary-search.
constexpr std::string_view kBinaryen108Passes[] = {
    "alignment-lowering",
    "asyncify",
    "avoid-reinterprets",
    "cfp",
    "coalesce-locals",
    "coalesce-locals-learning",
    "code-folding",
    "code-pushing",
    "const-hoisting",
    "dae",
    "dae-optimizing",
    "dce",
    "dealign",
    "denan",
    "dfo",
    "directize",
    "duplicate-function-elimination",
    "duplicate-import-elimination",
    "dwarfdump",
    "emit-target-features",
    "extract-function",
    "extract-function-index",
    "flatten",
    "fpcast-emu",
    "func-metrics",
    "generate-dyncalls",
    "generate-i64-dyncalls",
    "generate-stack-ir",
    "global-refining",
    "gto",
    "heap2local",
    "i64-to-i32-lowering",
    "inline-main",
    "inlining",
    "inlining-optimizing",
    "instrument-locals",
    "instrument-memory",
    "intrinsic-lowering",
    "legalize-js-interface",
    "legalize-js-interface-minimally",
    "licm",
    "limit-segments",
    "local-cse",
    "local-subtyping",
    "log-execution",
    "memory-packing",
    "memory64-lowering",
    "merge-blocks",
    "merge-locals",
    "merge-similar-functions",
    "metrics",
    "minify-imports",
    "minify-imports-and-exports",
    "minify-imports-and-exports-and-modules",
    "mod-asyncify-always-and-only-unwind",
    "mod-asyncify-never-unwind",
    "name-types",
    "nm",
    "once-reduction",
    "optimize-added-constants",
    "optimize-added-constants-propagate",
    "optimize-for-js",
    "optimize-instructions",
    "optimize-stack-ir",
    "pick-load-signs",
    "poppify",
    "post-emscripten",
    "precompute",
    "precompute-propagate",
    "print",
    "print-call-graph",
    "print-features",
    "print-full",
    "print-function-map",
    "print-minified",
    "print-stack-ir",
    "remove-imports",
    "remove-memory",
    "remove-non-js-ops",
    "remove-unused-brs",
    "remove-unused-module-elements",
    "remove-unused-names",
    "remove-unused-nonfunction-module-elements",
    "reorder-functions",
    "reorder-locals",
    "rereloop",
    "roundtrip",
    "rse",
    "safe-heap",
    "set-globals",
    "signature-pruning",
    "signature-refining",
    "simplify-globals",
    "simplify-globals-optimizing",
    "simplify-locals",
    "simplify-locals-nonesting",
    "simplify-locals-nostructure",
    "simplify-locals-notee",
    "simplify-locals-notee-nostructure",
    "souperify",
    "souperify-single-use",
    "ssa",
    "ssa-nomerge",
    "stack-check",
    "strip",
    "strip-debug",
    "strip-dwarf",
    "strip-producers",
    "strip-target-features",
    "stub-unsupported-js",
    "symbolmap",
    "trap-mode-clamp",
    "trap-mode-js",
    "type-refining",
    "untee",
    "vacuum",
};

static_assert(std::is_sorted(std::begin(kBinaryen108Passes), std::end(kBinaryen108Passes)));

}  // namespace

bool IsKnownPass(std::string_view name) {
  return std::binary_search(std::begin(kBinaryen108Passes), std::end(kBinaryen108Passes), name);
}

Status CheckPassNames(std::span<const std::string> names) {
  for (const std::string& name : names) {
    if (IsKnownPass(name)) continue;
    std::vector<std::string> known(std::begin(kBinaryen108Passes), std::end(kBinaryen108Passes));
    return Error{"unknown Binaryen pass '" + name + "' (Binaryen 108 has no such pass)" +
                 DidYouMean(name, known)};
  }
  return {};
}

}  // namespace ws::opt
