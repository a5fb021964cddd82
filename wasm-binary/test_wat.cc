#include "wasm-binary/test_wat.h"

#include <cstdio>
#include <memory>

#include "wabt/binary-writer.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/validator.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"

namespace ws::wasm::testing {

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

}  // namespace ws::wasm::testing
