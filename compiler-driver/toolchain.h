// The wasm32 toolchain wasmship drives: clang++-19, wasm-ld-19 and the
// wasm32-wasi sysroot (wasi-libc, libc++, libc++abi, compiler-rt builtins).
// Each may be overridden with an environment variable (WASMSHIP_CLANG,
// WASMSHIP_WASM_LD, WASMSHIP_SYSROOT); otherwise tools are found on PATH.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"

namespace ws {

struct Toolchain {
  std::string clang;     // absolute path of clang++
  std::string wasm_ld;   // absolute path of wasm-ld
  std::string sysroot;   // passed as --sysroot
  std::string lib_dir;   // <sysroot>/lib/wasm32-wasi
  std::string builtins;  // compiler-rt builtins archive for wasm32
  std::string compiler_id;  // clang's --version text; part of every cache key
  std::string runtime_dir;  // the runtime engine's sources (include/, src/)
  std::string resource_dir;  // clang's builtin headers, for libTooling
  // llvm-nm-19 (WASMSHIP_LLVM_NM), optional: size reports read the symbol
  // tables of LTO (bitcode) objects with it to place functions in their
  // source files; "" when absent (then by name only).
  std::string llvm_nm;
};

// Where the runtime engine's sources are: $WASMSHIP_RUNTIME_DIR, else the
// copy this wasmship was built from.
std::string RuntimeDir();

// One thing `wasmship doctor` checks.
struct ToolCheck {
  std::string name;     // "clang-19"
  bool ok = false;
  std::string detail;   // where it was found, or what is missing
  std::string package;  // the Debian package that provides it
  bool optional = false;  // builds work without it, with less in their reports
};

// Checks of the compile/link toolchain (no subprocesses; cheap).
std::vector<ToolCheck> CheckToolchain();

// llvm-nm (optional): names the functions of LTO release builds by source file
// in size reports. Found as WASMSHIP_LLVM_NM, llvm-nm-19 or beside `clang`.
ToolCheck CheckLlvmNm(const std::string& clang);

// A content hash of an executable, memoized like the compiler's identity:
// the expander's output depends on the wasmship binary that produced it.
std::string ExecutableIdentity(const std::string& path, const std::string& state_dir);

// Finds every part of the toolchain, reporting each missing one with the
// package to install. `state_dir` keeps the memoized compiler identity.
std::optional<Toolchain> FindToolchain(const std::string& state_dir, DiagnosticSink& sink);

}  // namespace ws
