// stable-order: puts the functions in an order that the next build of the
// app will keep: first the libraries (libc, libc++, compiler-rt) and the
// runtime, then the app, each sorted by qualified name (then full name).
//
// Devices update over the air with delta bundles: zstd with the module the
// device has as prefix. A call encodes its target's index, so a function
// added near the start renumbers everything after it, and every call to
// those functions then differs from the base: the delta carries most of
// the module again. With the app's functions last, an app change leaves
// every library and runtime index alone, and inside each group a name
// order moves only the names that come after a new one. Lambdas and
// std::function wrappers around them belong to the function they are
// written in (wasm-binary's ComponentByName); C functions (no parameter
// list in the name) are library code.
//
// Measured on examples/catalog (release, base variant), full module and
// delta for a one-page change (the details page gets a button and a new
// tagline), `zstd -19 --long` and `--patch-from`:
//   order                                        full     delta
//   as linked (LTO output order)                 51476    5895
//   chained by body similarity (MinHash)         50648   11958
//   by name                                      51112    6028
//   libraries and runtime, then app, by name     50866    3884
//   the same, by qualified name (this pass)      50697    3820
// (The first three rows still carried clang's 95-byte annotate section,
// which strip now drops.) The similarity chain compressed best but, since any renumbering changes
// the bodies it compares, reshuffled the whole module on every change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "wasm-opt-passes/binaryen_module.h"
#include "wasm-opt-passes/custom_pass.h"

namespace ws::opt {

struct StableOrderStats {
  uint32_t functions = 0;      // defined functions
  uint32_t app_functions = 0;  // of which the app's, placed last
  bool moved = false;          // the order changed
};

// A permutation of `names` (demangled): library and runtime functions
// first, then the app's, each by qualified name ("ws::Bind<A>" for
// "void ws::Bind<A>(int)"), then full name; ties keep their original order.
std::vector<uint32_t> StableOrder(const std::vector<std::string>& names);

// Whether a demangled function name is the app's own code.
bool IsAppFunction(const std::string& demangled);

// Reorders the defined functions of `module`; `settings` are used for the
// Stack IR passes it reruns.
Result<StableOrderStats> OrderFunctionsStably(Module& module, const BinaryenSettings& settings);

extern const CustomPass kStableOrderPass;

}  // namespace ws::opt
