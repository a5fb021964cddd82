// Test helpers: small inspections of a module's bytes, read back with
// wabt; WAT text to bytes comes from wasm-binary's test library.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wasm-binary/test_wat.h"

namespace ws::opt::testing {

using ws::wasm::testing::Wat;

// Exported function name → function index.
std::map<std::string, uint32_t> FunctionExports(const std::vector<uint8_t>& wasm);

// Names of all exports, sorted.
std::vector<std::string> ExportNames(const std::vector<uint8_t>& wasm);

// Function index → name from the name section (empty when there is none).
std::map<uint32_t, std::string> FunctionNames(const std::vector<uint8_t>& wasm);

// Number of functions (imported and defined).
uint32_t FunctionCount(const std::vector<uint8_t>& wasm);

}  // namespace ws::opt::testing
