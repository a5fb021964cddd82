#include "compiler-driver/glob.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "platform/interrupt.h"

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

// One expansion. Directory symlinks are followed, but `**` enters each
// directory (device and inode) once per pattern position, so links back up
// the tree (`ln -s .. src/loop`) end the walk instead of looping; a file
// reached through several links counts once, under its smallest relative
// path.
class Walk {
 public:
  Walk(fs::path root, std::vector<std::string> segments)
      : root_(std::move(root)), segments_(std::move(segments)) {}

  std::vector<std::string> Run() {
    Match("", 0);
    std::set<std::string> sorted;
    for (const auto& [canonical, relative] : by_canonical_) sorted.insert(relative);
    return {sorted.begin(), sorted.end()};
  }

 private:
  // Walks `segments_[index...]` below `relative` (a directory relative to root).
  void Match(const std::string& relative, size_t index) {
    if (InterruptRequested()) return;
    std::error_code ec;
    fs::path here = root_ / relative;
    if (index == segments_.size()) {
      if (fs::is_regular_file(here, ec)) Add(relative, here);
      return;
    }
    const std::string& segment = segments_[index];
    if (segment == "**") {
      if (!FirstVisit(here, index)) return;
      Match(relative, index + 1);  // zero directories
      for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name[0] != '.' && it->is_directory(ec)) Match(Join(relative, name), index);
      }
      return;
    }
    if (!HasWildcard(segment)) {
      if (fs::exists(here / segment, ec)) Match(Join(relative, segment), index + 1);
      return;
    }
    for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (fnmatch(segment.c_str(), name.c_str(), FNM_PERIOD) == 0) Match(Join(relative, name), index + 1);
    }
  }

  bool FirstVisit(const fs::path& dir, size_t index) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return false;
    return visited_.emplace(st.st_dev, st.st_ino, index).second;
  }

  void Add(const std::string& relative, const fs::path& path) {
    std::error_code ec;
    std::string canonical = fs::canonical(path, ec).string();
    if (ec) canonical = path.string();
    auto [it, inserted] = by_canonical_.emplace(canonical, relative);
    if (!inserted && relative < it->second) it->second = relative;
  }

  fs::path root_;
  std::vector<std::string> segments_;
  std::set<std::tuple<dev_t, ino_t, size_t>> visited_;
  std::map<std::string, std::string> by_canonical_;
};

}  // namespace

std::vector<std::string> ExpandGlob(const std::string& root, const std::string& pattern) {
  if (GlobLeavesRoot(pattern)) return {};
  return Walk(fs::path(root), SplitSegments(pattern)).Run();
}

bool GlobLeavesRoot(const std::string& pattern) {
  if (!pattern.empty() && pattern[0] == '/') return true;
  int depth = 0;
  for (const std::string& segment : SplitSegments(pattern)) {
    // `**` may stand for no directory at all: it does not go down.
    depth += segment == ".." ? -1 : segment == "**" ? 0 : 1;
    if (depth < 0) return true;
  }
  return false;
}

}  // namespace ws
