#include "wasm-opt-passes/test_wat.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/binary-writer.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/validator.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"

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

std::vector<uint8_t> Wat(std::string_view text) {
  wabt::Features features;
  features.EnableAll();
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer("test.wat", text.data(), text.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::WastParseOptions parse_options(features);
  bool ok = wabt::Succeeded(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options));
  ok = ok && wabt::Succeeded(wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features)));
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(features, /*canonicalize_lebs=*/true, /*relocatable=*/false,
                                         /*write_debug_names=*/true);
  ok = ok && wabt::Succeeded(wabt::WriteBinaryModule(&stream, module.get(), write_options));
  if (!ok) {
    for (const wabt::Error& error : errors) std::fprintf(stderr, "wat: %s\n", error.message.c_str());
    return {};
  }
  return stream.output_buffer().data;
}

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
