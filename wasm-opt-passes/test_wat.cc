#include "wasm-opt-passes/test_wat.h"

#include <algorithm>
#include <memory>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/ir.h"

namespace ws::opt::testing {
namespace {

std::unique_ptr<wabt::Module> ReadIr(const std::vector<uint8_t>& wasm) {
  wabt::Features features;
  features.EnableAll();
  wabt::ReadBinaryOptions options(features, nullptr, /*read_debug_names=*/true, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  wabt::Errors errors;
  auto module = std::make_unique<wabt::Module>();
  if (wabt::Failed(
          wabt::ReadBinaryIr("test.wasm", wasm.data(), wasm.size(), options, &errors, module.get()))) {
    return nullptr;
  }
  return module;
}

}  // namespace

std::map<std::string, uint32_t> FunctionExports(const std::vector<uint8_t>& wasm) {
  std::map<std::string, uint32_t> exports;
  std::unique_ptr<wabt::Module> module = ReadIr(wasm);
  if (!module) return exports;
  for (const wabt::Export* exported : module->exports) {
    if (exported->kind == wabt::ExternalKind::Func) {
      exports[exported->name] = module->GetFuncIndex(exported->var);
    }
  }
  return exports;
}

std::vector<std::string> ExportNames(const std::vector<uint8_t>& wasm) {
  std::vector<std::string> names;
  std::unique_ptr<wabt::Module> module = ReadIr(wasm);
  if (!module) return names;
  for (const wabt::Export* exported : module->exports) names.push_back(exported->name);
  std::sort(names.begin(), names.end());
  return names;
}

std::map<uint32_t, std::string> FunctionNames(const std::vector<uint8_t>& wasm) {
  std::map<uint32_t, std::string> names;
  std::unique_ptr<wabt::Module> module = ReadIr(wasm);
  if (!module) return names;
  for (uint32_t i = 0; i < module->funcs.size(); ++i) {
    const std::string& name = module->funcs[i]->name;
    if (!name.empty()) names[i] = name.substr(1);  // wabt keeps the '$'
  }
  return names;
}

uint32_t FunctionCount(const std::vector<uint8_t>& wasm) {
  std::unique_ptr<wabt::Module> module = ReadIr(wasm);
  return module ? static_cast<uint32_t>(module->funcs.size()) : 0;
}

}  // namespace ws::opt::testing
