// Loading an app as a device would (`wasmship run`): a .wsb bundle is
// checked as a device checks it (signature when a key is given, hashes,
// bounded decompression, the device's features and host ABI against the
// bundle's); a delta bundle is applied only onto the module it names. A
// plain .wasm is read as it is (checking it against a device is the
// caller's: no device is given a bare module).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "feature-matrix/device_matrix.h"
#include "ota-bundle/ota_bundle.h"

namespace ws::host {

enum class LoadErrorKind {
  kMissingFile,  // a file named on the command line does not exist
  kRefused,      // a device would refuse it: unreadable, too large, damaged, unsigned, wrong device
};

struct LoadError {
  LoadErrorKind kind = LoadErrorKind::kRefused;
  std::string message;
  std::vector<std::string> notes;
};

struct AppLoadRequest {
  std::string path;        // .wsb or .wasm
  std::string base;        // a delta's base (.wsb or .wasm); empty: look beside the delta and in search_dir
  std::string search_dir;  // where else full bundles live (the project's dist/bundles)
  const Device* device = nullptr;              // null: no device checks
  const bundle::PublicKey* key = nullptr;      // null: signatures are not checked
};

struct LoadedApp {
  std::vector<uint8_t> wasm;
  bool from_bundle = false;  // false: a plain module, which no device checked
  std::string symbols_path;  // the build's symbol map beside the bundle, if any
};

// A .wsb (or .wasm) named on the command line, read within the format's
// limit: a missing file is kMissingFile; one no device would read (a
// directory, FIFO or device file, or larger than a bundle can be) kRefused.
Result<std::string, LoadError> ReadBundleFile(const std::string& path);

// The module to run, or why a device would refuse it.
Result<LoadedApp, LoadError> LoadApp(const AppLoadRequest& request);

}  // namespace ws::host
