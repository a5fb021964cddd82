// What the build needs to know about the compose DSL without loading clang:
// whether a file has blocks to expand, and the version of what the expander
// generates. The expansion itself runs in `wasmship-expander`
// (macro_expander.h), a separate executable, so that every other wasmship
// command starts without loading libclang-cpp and libLLVM.
#pragma once

#include <filesystem>
#include <string>

namespace ws {

// Bumped whenever generated code changes, so cached expansions are redone.
constexpr const char* kExpanderVersion = "wasmship-expander-2";

// The expander's executable, installed beside wasmship.
constexpr const char* kExpanderExecutable = "wasmship-expander";

// The expander beside the wasmship binary at `self`.
inline std::string ExpanderBeside(const std::string& self) {
  return (std::filesystem::path(self).parent_path() / kExpanderExecutable).string();
}

// Whether a file needs expanding at all (cheap: a text search).
inline bool HasComposeBlock(const std::string& text) { return text.find("compose(") != std::string::npos; }

}  // namespace ws
