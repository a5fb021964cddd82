// JSON numbers to doubles without libc's strtod: strtod brings musl's
// floatscan (hex floats, inf/nan, stream reading, long double arithmetic in
// software), the largest piece of libc an app still had. Results are
// correctly rounded (round half to even), as strtod's are.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ws {

// The JSON number grammar (RFC 8259): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
// Returns how many characters of `text` the number takes (0: not a number)
// and its value in `value`. Magnitudes past the largest double give
// infinity, below the smallest subnormal zero, as strtod does.
size_t ParseJsonNumber(std::string_view text, double& value);

}  // namespace ws
