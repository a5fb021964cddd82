// Turns a checked compose block into plain C++: calls to the runtime's
// builder API (wasmship/builder.hpp). Literal props are assigned once;
// `{expr}` on a widget's data prop becomes a ws::Bind (that one prop of
// that one entity follows the signals the expression reads); `{...}` on an
// on_* prop becomes a handler lambda; `for` and `if` become ws::For and
// ws::If. Lambdas that outlive the build capture by copy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "macro-expander/dsl_ast.h"
#include "macro-expander/element_info.h"
#include "macro-expander/literal_table.h"
#include "macro-expander/source_map.h"

namespace ws::dsl {

// The C++ expression that replaces the compose call, as text that continues
// the line where the call began and ends so that the rest of the original
// file resumes at `resume_line`:`resume_column` (just after the call).
// With `table`, texts, colors and sizes go into it instead (literal_table.h).
// With `composable` (the UI_COMPOSABLE holding the block), the block and its
// for/if builders report that composable's body to `run --trace`.
std::string GenerateCompose(const Element& root, ElementResolver& resolver, const SourceMap& map,
                            uint32_t resume_line, uint32_t resume_column, LiteralTable* table = nullptr,
                            std::string_view composable = {});

}  // namespace ws::dsl
