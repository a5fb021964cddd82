// Semantic checks of a parsed compose block against the elements the C++
// code declares, before any C++ is generated: unknown elements and props,
// missing required props, duplicate props, literals of the wrong kind,
// children on leaf elements, and a composable that uses itself
// unconditionally (it could never finish building).
#pragma once

#include <string>
#include <vector>

#include "macro-expander/dsl_parser.h"
#include "macro-expander/element_info.h"

namespace ws::dsl {

// `composable` is the name of the UI_COMPOSABLE whose body holds the block.
std::vector<DslError> Check(const Element& root, const std::string& composable, ElementResolver& resolver);

}  // namespace ws::dsl
