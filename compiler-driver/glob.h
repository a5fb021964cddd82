// Source globs of wasmship.yaml: `*`, `?` and `[...]` within one path
// segment, `**` across any number of directories. Hidden files and
// directories are only matched by patterns that name the dot. Directory
// symlinks are followed, each directory once (symlink loops end the walk),
// and a file reached by several paths is listed once. The walk stops early
// when an interrupt (platform/interrupt.h) was requested.
#pragma once

#include <string>
#include <vector>

namespace ws {

// Files under `root` matching `pattern` (relative to root), as relative
// paths with '/' separators, sorted. A pattern without wildcards matches
// the file if it exists. A pattern that leaves root matches nothing.
std::vector<std::string> ExpandGlob(const std::string& root, const std::string& pattern);

// True when `pattern` is absolute or its `..` segments climb above root
// (`../../etc/*.conf`, `src/../../x`).
bool GlobLeavesRoot(const std::string& pattern);

}  // namespace ws
