// Source globs of wasmship.yaml: `*`, `?` and `[...]` within one path
// segment, `**` across any number of directories. Hidden files and
// directories are only matched by patterns that name the dot.
#pragma once

#include <string>
#include <vector>

namespace ws {

// Files under `root` matching `pattern` (relative to root), as relative
// paths with '/' separators, sorted. A pattern without wildcards matches
// the file if it exists.
std::vector<std::string> ExpandGlob(const std::string& root, const std::string& pattern);

}  // namespace ws
