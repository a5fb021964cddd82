// Canonical JSON as TUF signs it (the OLPC form securesystemslib and
// tuf-js implement): object keys sorted, no whitespace, integers only, and
// strings that escape nothing but `"` and `\` (every other byte, control
// characters and UTF-8 included, is written as it is). A signature covers
// the canonical bytes of a metadata file's "signed" object, so every
// implementation must produce exactly these bytes from the parsed value.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "diagnostics/result.h"

namespace ws::tuf {

using Json = nlohmann::json;

// Refuses floating-point numbers (canonical JSON has none) and discarded values.
Result<std::string> CanonicalJson(const Json& value);

// Parses a metadata file; the error names `source` and what is wrong.
Result<Json> ParseJson(std::string_view text, std::string_view source);

}  // namespace ws::tuf
