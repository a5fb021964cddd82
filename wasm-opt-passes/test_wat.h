// Test helpers: WAT text to wasm bytes with wabt's parser (every feature
// enabled, $names written to the name section), and small inspections of
// a module's bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ws::opt::testing {

// The module's bytes, or empty (errors on stderr) when `text` is not a
// valid module.
std::vector<uint8_t> Wat(std::string_view text);

// Exported function name → function index.
std::map<std::string, uint32_t> FunctionExports(const std::vector<uint8_t>& wasm);

// Names of all exports, sorted.
std::vector<std::string> ExportNames(const std::vector<uint8_t>& wasm);

// Function index → name from the name section (empty when there is none).
std::map<uint32_t, std::string> FunctionNames(const std::vector<uint8_t>& wasm);

// Number of functions (imported and defined).
uint32_t FunctionCount(const std::vector<uint8_t>& wasm);

}  // namespace ws::opt::testing
