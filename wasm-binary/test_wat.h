// WAT text to wasm bytes for tests, with wabt's own parser: every feature
// enabled, $names written to the name section. Shared by the tests of every
// folder that needs a hand-written module (optimizer passes, engines).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ws::wasm::testing {

// The module's bytes, or empty (with the errors on stderr) when `text` does
// not parse or validate.
std::vector<uint8_t> Wat(std::string_view text);

}  // namespace ws::wasm::testing
