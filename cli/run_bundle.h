// What `wasmship run` runs: a .wsb bundle checked as a device checks it
// (signature when a key is known, hashes, bounded decompression, the
// device's features and host ABI against the bundle's), a delta bundle
// applied only onto the module it names, or a plain .wasm validated against
// the device's features.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/manifest.h"
#include "feature-matrix/device_matrix.h"

namespace ws {

struct LoadedApp {
  std::vector<uint8_t> wasm;
  std::string symbols_path;  // the build's symbol map beside the bundle, if any
};

struct LoadProblem {
  int exit_code = 5;
  std::string message;
  std::vector<std::string> notes;
};

struct LoadRequest {
  std::string path;         // .wsb or .wasm
  std::string base;         // a delta's base (.wsb or .wasm); empty: look beside the delta and in dist/bundles
  std::string search_dir;   // where else full bundles live (the project's dist/bundles)
  const Device* device = nullptr;
  const Manifest* manifest = nullptr;  // its signing key verifies bundles
  bool validate_wasm = false;  // a .wasm from elsewhere: validate it against the device's features
};

// A .wsb (or .wasm) named on the command line, read within the format's
// limit. A missing file is a usage error (2); one no device would read (a
// directory, FIFO or device file, or larger than a bundle can be) fails
// verification (5).
std::optional<std::string> ReadBundleFile(const std::string& path, LoadProblem& problem);

// The module to run, or why a device would refuse it.
std::optional<LoadedApp> LoadApp(const LoadRequest& request, LoadProblem& problem);

}  // namespace ws
