// Reads the Makefile-style dependency files clang writes with -MD -MF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/result.h"

namespace ws {

// The prerequisites of the first rule in `text` (the source and every header
// it included), in order, without duplicates. Handles line continuations and
// escaped spaces.
Result<std::vector<std::string>> ParseDepfile(std::string_view text);

}  // namespace ws
