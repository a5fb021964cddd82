// An owned Binaryen module (C API, v108) and the process-global settings
// its passes run with.
//
// BinaryenModuleRead exits the process on a binary it cannot parse, so
// Module::Read first checks bytes of unknown origin with wabt's reader and
// validator and turns a bad module into an error value (bytes the toolchain
// wrote, wasm-ld's or Binaryen's own, get only a structural check: the full
// one took a quarter of a debug build's optimize step). It also drops DWARF before
// Binaryen sees it: through the C API Binaryen 108 does not track code
// offsets while reading, so the DWARF it writes back has an empty line
// table; and its bundled copy of LLVM's DWARF code crashes when the
// process has also loaded libLLVM (wasmship does, for the DSL frontend),
// because libLLVM's symbols take the place of Binaryen's own. Binaryen keeps optimize/shrink
// level, debug info and friends in globals shared by every module in the
// process; RunPasses sets all of them right before each run, so a previous
// caller's settings never leak into ours.
#pragma once

#include <binaryen-c.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "diagnostics/result.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {

// Binaryen's bit for `feature` (its row's binaryen_mask in wasm_features.def).
BinaryenFeatures BinaryenMask(wasm::WasmFeature feature);

// MVP plus exactly the features `features` enables.
BinaryenFeatures FeatureMask(const Features& features);

struct BinaryenSettings {
  int optimize_level = 0;
  int shrink_level = 0;
  bool debug_info = true;
  // wasm-ld may put the stack (or data) in the low 1K, and an imported
  // memory is not promised to be zeroed; both stay off.
  bool low_memory_unused = false;
  bool zero_filled_memory = false;
  bool fast_math = false;
};

// Sets every Binaryen global the passes read (including the inliner's
// limits, reset to Binaryen 108's defaults, and the pass arguments).
void ApplySettings(const BinaryenSettings& settings);

class Module {
 public:
  // Who wrote the bytes Read is given.
  enum class Origin { kAnyone, kToolchain };

  // Reads `wasm` and sets its feature mask to `features`.
  static Result<Module> Read(std::span<const uint8_t> wasm, BinaryenFeatures features,
                             Origin origin = Origin::kAnyone);

  BinaryenModuleRef get() const { return ref_.get(); }
  BinaryenFeatures features() const { return features_; }
  // Bytes of DWARF sections left out when the module was read.
  uint64_t dropped_dwarf_bytes() const { return dropped_dwarf_bytes_; }

  // The binary as Binaryen writes it; the name section only with `names`.
  std::vector<uint8_t> Write(bool names) const;

  // Replaces this module by the one in `wasm` (same features).
  Status Reload(std::span<const uint8_t> wasm);

 private:
  struct Disposer {
    void operator()(std::remove_pointer_t<BinaryenModuleRef>* module) const;
  };
  using Owner = std::unique_ptr<std::remove_pointer_t<BinaryenModuleRef>, Disposer>;

  Module(Owner ref, BinaryenFeatures features, uint64_t dropped_dwarf_bytes)
      : ref_(std::move(ref)), features_(features), dropped_dwarf_bytes_(dropped_dwarf_bytes) {}

  Owner ref_;
  BinaryenFeatures features_;
  uint64_t dropped_dwarf_bytes_;
};

// Checks every name (see known_passes.h), applies `settings`, runs.
Status RunPasses(Module& module, std::span<const std::string> passes, const BinaryenSettings& settings);

bool IsImported(BinaryenFunctionRef function);

// Functions in the order the binary writer numbers them: imports first,
// then defined functions, each in module order.
std::vector<BinaryenFunctionRef> FunctionsInIndexOrder(BinaryenModuleRef module);

// The function `ws_host.log` style import `module.base`, or nullptr.
BinaryenFunctionRef FindFunctionImport(BinaryenModuleRef module, std::string_view import_module,
                                       std::string_view base);

}  // namespace ws::opt
