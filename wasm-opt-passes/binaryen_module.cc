#include "wasm-opt-passes/binaryen_module.h"

#include <cstdlib>
#include <iterator>
#include <string>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/feature.h"
#include "wabt/ir.h"
#include "wabt/validator.h"
#include "wasm-binary/module_reader.h"
#include "wasm-opt-passes/known_passes.h"
#include "wasm-opt-passes/wasm_sections.h"

namespace ws::opt {
namespace {

// Binaryen 108's defaults for the inliner (binaryen-c.h documents them as
// globals; a caller may have changed them).
constexpr BinaryenIndex kAlwaysInlineMaxSize = 2;
constexpr BinaryenIndex kFlexibleInlineMaxSize = 20;
constexpr BinaryenIndex kOneCallerInlineMaxSize = static_cast<BinaryenIndex>(-1);
constexpr std::string_view kDwarfPrefix = ".debug_";

// Binaryen Fatal()s (exits) on a binary it cannot parse; wabt reports it.
Status CheckReadable(std::span<const uint8_t> wasm) {
  wabt::Features features;
  features.EnableAll();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  wabt::Errors errors;
  wabt::Module module;
  bool ok =
      wabt::Succeeded(wabt::ReadBinaryIr("module.wasm", wasm.data(), wasm.size(), options, &errors, &module));
  if (ok) ok = wabt::Succeeded(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features)));
  if (ok) return {};
  std::string detail = errors.empty() ? "unknown error" : errors.front().message;
  if (!errors.empty() && errors.front().loc.offset != wabt::kInvalidOffset) {
    detail += " (at byte " + std::to_string(errors.front().loc.offset) + ")";
  }
  return Error{"not a valid wasm module: " + detail};
}

// Sections whole and in bounds: a truncated or overwritten file of the
// toolchain's is still an error value.
Status CheckSections(std::span<const uint8_t> wasm) {
  if (Result<wasm::Module> read = wasm::ReadModule(wasm); !read) {
    return Error{"not a valid wasm module: " + read.error().message};
  }
  return {};
}

// Binaryen's feature functions, in wasm_features.def's row order; they are
// not constexpr, so the mask is looked up when asked for.
using BinaryenFeatureFn = BinaryenFeatures (*)();
constexpr BinaryenFeatureFn kBinaryenFeatures[] = {
#define WS_WASM_FEATURE(name, short_name, clang_flag, on_by_default, binaryen_mask, description) \
  binaryen_mask,
#include "wasm-binary/wasm_features.def"
};
static_assert(std::size(kBinaryenFeatures) == wasm::kWasmFeatureCount,
              "every row of wasm_features.def needs its Binaryen feature");

}  // namespace

BinaryenFeatures BinaryenMask(wasm::WasmFeature feature) {
  return kBinaryenFeatures[static_cast<size_t>(feature)]();
}

BinaryenFeatures FeatureMask(const Features& features) {
  BinaryenFeatures mask = BinaryenFeatureMVP();
  for (const wasm::WasmFeatureInfo& info : wasm::kWasmFeatureTable) {
    if (features.*info.field) mask |= BinaryenMask(info.id);
  }
  return mask;
}

void ApplySettings(const BinaryenSettings& settings) {
  BinaryenSetOptimizeLevel(settings.optimize_level);
  BinaryenSetShrinkLevel(settings.shrink_level);
  BinaryenSetDebugInfo(settings.debug_info);
  BinaryenSetLowMemoryUnused(settings.low_memory_unused);
  BinaryenSetZeroFilledMemory(settings.zero_filled_memory);
  BinaryenSetFastMath(settings.fast_math);
  BinaryenSetAlwaysInlineMaxSize(kAlwaysInlineMaxSize);
  BinaryenSetFlexibleInlineMaxSize(kFlexibleInlineMaxSize);
  BinaryenSetOneCallerInlineMaxSize(kOneCallerInlineMaxSize);
  BinaryenSetAllowInliningFunctionsWithLoops(false);
  BinaryenClearPassArguments();
}

void Module::Disposer::operator()(std::remove_pointer_t<BinaryenModuleRef>* module) const {
  BinaryenModuleDispose(module);
}

Result<Module> Module::Read(std::span<const uint8_t> wasm, BinaryenFeatures features, Origin origin) {
  Status readable = origin == Origin::kAnyone ? CheckReadable(wasm) : CheckSections(wasm);
  if (!readable) return readable.error();
  uint64_t dwarf = 0;
  // BinaryenModuleRead copies the input but takes a mutable pointer.
  Result<std::vector<uint8_t>> copy = WithoutCustomSections(wasm, kDwarfPrefix, dwarf);
  if (!copy) return copy.error();
  Owner ref(BinaryenModuleRead(reinterpret_cast<char*>(copy->data()), copy->size()));
  BinaryenModuleSetFeatures(ref.get(), features);
  return Module(std::move(ref), features, dwarf);
}

std::vector<uint8_t> Module::Write(bool names) const {
  BinaryenSetDebugInfo(names);
  BinaryenModuleAllocateAndWriteResult written = BinaryenModuleAllocateAndWrite(ref_.get(), nullptr);
  const auto* bytes = static_cast<const uint8_t*>(written.binary);
  std::vector<uint8_t> out(bytes, bytes + written.binaryBytes);
  std::free(written.binary);
  std::free(written.sourceMap);
  return out;
}

Status Module::Reload(std::span<const uint8_t> wasm) {
  Result<Module> fresh = Read(wasm, features_, Origin::kToolchain);
  if (!fresh) return fresh.error();
  ref_ = std::move(fresh->ref_);
  return {};
}

Status RunPasses(Module& module, std::span<const std::string> passes, const BinaryenSettings& settings) {
  if (Status known = CheckPassNames(passes); !known) return known;
  std::vector<const char*> names;
  names.reserve(passes.size());
  for (const std::string& pass : passes) names.push_back(pass.c_str());
  ApplySettings(settings);
  BinaryenModuleRunPasses(module.get(), names.data(), static_cast<BinaryenIndex>(names.size()));
  return {};
}

bool IsImported(BinaryenFunctionRef function) {
  const char* import_module = BinaryenFunctionImportGetModule(function);
  return import_module != nullptr && import_module[0] != '\0';
}

std::vector<BinaryenFunctionRef> FunctionsInIndexOrder(BinaryenModuleRef module) {
  BinaryenIndex count = BinaryenGetNumFunctions(module);
  std::vector<BinaryenFunctionRef> ordered;
  ordered.reserve(count);
  for (bool imports : {true, false}) {
    for (BinaryenIndex i = 0; i < count; ++i) {
      BinaryenFunctionRef function = BinaryenGetFunctionByIndex(module, i);
      if (IsImported(function) == imports) ordered.push_back(function);
    }
  }
  return ordered;
}

BinaryenFunctionRef FindFunctionImport(BinaryenModuleRef module, std::string_view import_module,
                                       std::string_view base) {
  BinaryenIndex count = BinaryenGetNumFunctions(module);
  for (BinaryenIndex i = 0; i < count; ++i) {
    BinaryenFunctionRef function = BinaryenGetFunctionByIndex(module, i);
    if (!IsImported(function)) continue;
    if (BinaryenFunctionImportGetModule(function) == import_module &&
        BinaryenFunctionImportGetBase(function) == base) {
      return function;
    }
  }
  return nullptr;
}

}  // namespace ws::opt
