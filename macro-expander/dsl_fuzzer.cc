// libFuzzer target: the DSL lexer, parser, checker and generator on any
// bytes, under AddressSanitizer. Built with clang-19 -fsanitize=fuzzer,address;
// `ctest` runs it briefly, bench/fuzz for long.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "macro-expander/code_generator.h"
#include "macro-expander/dsl_checker.h"
#include "macro-expander/dsl_parser.h"
#include "macro-expander/fake_resolver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ws::dsl::ParseResult parsed = ws::dsl::Parse(text);
  if (!parsed.root || !parsed.errors.empty()) return 0;
  ws::dsl::testing::FakeResolver resolver;
  if (!ws::dsl::Check(*parsed.root, "Tile", resolver).empty()) return 0;
  std::string file = "// file\n" + std::string(text);
  ws::dsl::SourceMap map(file, 8, "fuzz.cpp");
  std::string generated = ws::dsl::GenerateCompose(*parsed.root, resolver, map, 2, 1);
  return generated.empty() ? 1 : 0;
}
