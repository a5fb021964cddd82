// libFuzzer target: the wasmship.yaml loader (the YAML parser, then every
// key and value check) on any bytes, under AddressSanitizer. `ctest` runs it
// briefly, bench/fuzz for long.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler-driver/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ws::DiagnosticSink sink;
  std::optional<ws::Manifest> manifest = ws::ParseManifestText("fuzz/wasmship.yaml", text, sink);
  // A manifest, or the errors that say why not: never both, never neither.
  if (manifest.has_value() == sink.HasErrors()) __builtin_trap();
  return 0;
}
