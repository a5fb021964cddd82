// The C++ side of the expander, on clang libTooling: parses a source with
// the flags of its wasm compile (and the runtime's precompiled header),
// finds every compose(R"ui(...)ui") call, and answers the DSL's questions
// about element names from the AST: a widget's props struct, a
// composable's parameters. Only main-file declarations are walked, and
// names are looked up one by one, so the precompiled header is read lazily.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "macro-expander/element_info.h"

namespace ws::dsl {

struct ComposeCall {
  uint32_t call_begin = 0;     // file offsets of `compose(` ... `)`
  uint32_t call_end = 0;
  uint32_t block_begin = 0;    // file offset of the raw string's content
  std::string block;           // the DSL text
  std::string composable;      // the UI_COMPOSABLE function it is in
  ElementResolver* resolver = nullptr;  // names visible at the call
};

struct FrontendResult {
  bool parsed = false;      // clang ran
  bool cpp_errors = false;  // the C++ itself has errors (reported by the compile, not here)
  std::vector<std::string> dependencies;  // files the parse read
};

// Parses `path` with `args` (compile flags, no input or output); calls
// `on_calls` while the AST is alive. Problems with compose calls themselves
// (not a raw string, outside a UI_COMPOSABLE) go to `sink` as `display`.
FrontendResult RunFrontend(const std::string& path, const std::string& display, const std::vector<std::string>& args,
                           const std::function<void(std::vector<ComposeCall>&)>& on_calls, DiagnosticSink& sink);

}  // namespace ws::dsl
