// The data the HTML report's treemap draws: per variant, its components,
// each down to files or runtime systems, composables and functions (the
// rows of report.json's component_tree); "module" and "data" hold sections.
#pragma once

#include "size-reports/size_reports.h"

namespace ws::size {

// {"variants": [{"name", "file_bytes", "components": [node]}]}; a node is
// {"name", "kind", "bytes", "items": [node]} (component, file, system,
// composable) or a leaf {"name", "kind": "function"|"section", "bytes"}.
// A group's bytes are the sum of its items'; a component's are the rollup's.
Json TreemapData(const Json& report);

}  // namespace ws::size
