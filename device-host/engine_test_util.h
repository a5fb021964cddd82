// Helpers shared by the engine tests: WAT text to wasm bytes (wabt's own
// parser, every feature enabled) and a scratch directory.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wabt/binary-writer.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/validator.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"

namespace ws::host::testing {

// The module's bytes, or empty (with the parse errors on stderr) when the
// text does not parse or validate.
inline std::vector<uint8_t> Wat(std::string_view text) {
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
  wabt::WriteBinaryOptions write_options(features, true, false, true);
  ok = ok && wabt::Succeeded(wabt::WriteBinaryModule(&stream, module.get(), write_options));
  if (!ok) {
    for (const wabt::Error& error : errors) fprintf(stderr, "wat: %s\n", error.message.c_str());
    return {};
  }
  return stream.output_buffer().data;
}

// A fresh directory under $TMPDIR, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ws-engine-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ws::host::testing
