// Internal to size-reports: an app or runtime function's part and
// composable from the build's sources (SourceInfo).
#pragma once

#include <map>
#include <string>

#include "size-reports/size_reports.h"

namespace ws::size {

// `name`: the function's demangled name; `file`: the input the link map
// places it in; `component`: what the link map and the name say.
Attribution Locate(const std::string& name, const std::string& file, const std::string& component,
                   const std::map<std::string, std::string>& objects, const SourceInfo& info);

}  // namespace ws::size
