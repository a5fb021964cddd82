// Checks a module against the host ABI (host-abi/host_abi.h): every required
// export with its signature, and no import outside the allowed set. Used by
// `wasmship build` (a violation fails the build) and by every host.
#pragma once

#include <string>
#include <vector>

#include "host-abi/host_abi.h"
#include "wasm-binary/module_reader.h"

namespace ws::wasm {

// The host ABI version this wasmship's hosts implement; a bundle or device
// naming another is refused.
inline constexpr int kHostAbiVersion = host_abi::kVersion;

struct AbiCheck {
  std::vector<std::string> missing_exports;    // "ws_init (i32, i32) -> i32"
  std::vector<std::string> wrong_exports;      // "ws_frame: expected (f64) -> i32, found () -> ()"
  std::vector<std::string> forbidden_imports;  // "wasi_snapshot_preview1.fd_seek"
  std::vector<std::string> wrong_imports;      // "ws_host.log: expected ..., found ..."

  bool ok() const {
    return missing_exports.empty() && wrong_exports.empty() && forbidden_imports.empty() && wrong_imports.empty();
  }
  // One line per problem, for diagnostics.
  std::vector<std::string> Messages() const;
};

AbiCheck CheckHostAbi(const Module& module);

// "(i32, f32) -> i64"
std::string SignatureText(const FuncType& type);

}  // namespace ws::wasm
