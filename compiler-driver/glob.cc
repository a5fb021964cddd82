#include "compiler-driver/glob.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace ws {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SplitSegments(const std::string& pattern) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t slash = pattern.find('/', start);
    if (slash == std::string::npos) slash = pattern.size();
    std::string segment = pattern.substr(start, slash - start);
    if (!segment.empty() && segment != ".") segments.push_back(segment);
    start = slash + 1;
  }
  return segments;
}

bool HasWildcard(const std::string& segment) {
  return segment.find_first_of("*?[") != std::string::npos;
}

std::string Join(const std::string& base, const std::string& name) {
  return base.empty() ? name : base + "/" + name;
}

// Walks `segments[index...]` below `relative` (a directory relative to root).
void Match(const fs::path& root, const std::string& relative,
           const std::vector<std::string>& segments, size_t index, std::set<std::string>& out) {
  std::error_code ec;
  fs::path here = root / relative;
  if (index == segments.size()) {
    if (fs::is_regular_file(here, ec)) out.insert(relative);
    return;
  }
  const std::string& segment = segments[index];
  if (segment == "**") {
    Match(root, relative, segments, index + 1, out);  // zero directories
    for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name[0] != '.' && it->is_directory(ec)) {
        Match(root, Join(relative, name), segments, index, out);
      }
    }
    return;
  }
  if (!HasWildcard(segment)) {
    if (fs::exists(here / segment, ec)) Match(root, Join(relative, segment), segments, index + 1, out);
    return;
  }
  for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (fnmatch(segment.c_str(), name.c_str(), FNM_PERIOD) == 0) {
      Match(root, Join(relative, name), segments, index + 1, out);
    }
  }
}

}  // namespace

std::vector<std::string> ExpandGlob(const std::string& root, const std::string& pattern) {
  std::set<std::string> matches;
  Match(fs::path(root), "", SplitSegments(pattern), 0, matches);
  return {matches.begin(), matches.end()};
}

}  // namespace ws
