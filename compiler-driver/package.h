// The bundle step of a variant, run after the optimizer as `wasmship
// __package --request FILE` (a subprocess, so that variants package in
// parallel within the job pool): where the module's bytes go (size-reports,
// with components from the link map), the signed .wsb bundle and, against
// a baseline bundle of the same variant, a delta bundle (ota-bundle), and
// the symbol map with each function's component.
//
// The request and the result are JSON files in the variant's build
// directory; outputs are written there too, and the build commits them to
// dist/ atomically.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler-driver/signing.h"
#include "diagnostics/result.h"
#include "ota-bundle/ota_bundle.h"

namespace ws {

struct PackageRequest {
  std::string module;             // the optimized module
  std::string link_map;           // wasm-ld's --Map output
  std::string optimizer_symbols;  // {"functions": {"<index>": "<name>"}} from the optimizer
  std::map<std::string, std::string> objects;  // link inputs → "runtime" or "app"
  std::vector<std::pair<std::string, std::string>> sources;  // link inputs → source, link order
  std::vector<std::string> app_sources;  // scanned for UI_COMPOSABLE functions
  std::vector<std::pair<std::string, std::string>> runtime_headers;  // path → as reports show it
  std::string llvm_nm;                   // "": no symbol tables of objects
  bundle::Manifest manifest;      // app, version, variant, features, devices, host_abi, created, toolchain
  int level = 19;
  bool long_matching = true;
  SigningKeySource key;
  std::string baseline_dir;  // empty: no delta
  // Outputs, in the build directory.
  std::string bundle_out;
  std::string delta_out;
  std::string symbols_out;
};

nlohmann::json PackageRequestToJson(const PackageRequest& request);
Result<PackageRequest> PackageRequestFromJson(const nlohmann::json& json);

// Writes the outputs and returns the result document:
//   {"module_sha256", "bundle": {"bytes", "sha256", "payload_bytes", "signed", "level"},
//    "delta": {"name", "bytes", "sha256", "base_sha256"} (when a baseline matched),
//    "size": <size-reports' "size" object>, "warnings": [...]}
Result<nlohmann::ordered_json> Package(const PackageRequest& request);

// The bundle's file name: <app>-<version>-<variant>.wsb.
std::string BundleFileName(const std::string& app, const std::string& version, const std::string& variant);

}  // namespace ws
