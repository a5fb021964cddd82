#include "cli/dev_watch.h"

#include <filesystem>

#include "compiler-driver/toolchain.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::string Absolute(const std::string& root, const std::string& path) {
  fs::path p(path);
  std::string text = (p.is_absolute() ? p : fs::path(root) / p).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

bool IsAtOrBelow(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

// dist/, .wasmship/ and every hidden directory (.git, editors' own) under
// the project: outputs and tools' state, never inputs. Also lists the
// files in the rest of the tree.
std::vector<std::string> ScanProject(const std::string& root, std::set<std::string>& files) {
  std::vector<std::string> ignored = {root + "/dist", root + "/.wasmship"};
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string path = it->path().string();
    if (!it->is_directory(ec) || it->is_symlink(ec)) {
      files.insert(path);
      continue;
    }
    std::string name = it->path().filename().string();
    if (name.starts_with(".") || path == root + "/dist") {
      if (path != root + "/dist" && path != root + "/.wasmship") ignored.push_back(path);
      it.disable_recursion_pending();
    }
  }
  return ignored;
}

// Files that are never a build's input: hidden ones (tools' temporaries,
// such as the one a screenshot is written to before its rename), and
// screenshots, logs and notes outside the assets directory.
bool NeverAnInput(const std::string& path) {
  fs::path p(path);
  std::string name = p.filename().string();
  if (name.starts_with(".")) return true;
  std::string ext = p.extension().string();
  for (const char* skip : {".png", ".jpg", ".jpeg", ".gif", ".webp", ".log", ".txt", ".md", ".xwd"}) {
    if (ext == skip) return true;
  }
  return false;
}

}  // namespace

DevWatchPlan PlanDevWatch(const std::string& root, const Manifest& manifest) {
  DevWatchPlan plan;
  WatchSet& set = plan.set;
  set.directories.push_back(root);
  plan.root = root;
  set.ignored = ScanProject(root, plan.known_files);
  set.files.push_back(Absolute(root, manifest.path));
  if (!manifest.devices_file.empty()) set.files.push_back(Absolute(root, manifest.devices_file));
  if (!manifest.assets_dir.empty()) {
    plan.assets_dir = Absolute(root, manifest.assets_dir);
    if (!IsAtOrBelow(plan.assets_dir, root)) set.directories.push_back(plan.assets_dir);
  }
  // Headers: the project's include directories (those outside it) and the
  // runtime's include/ and src/, which every build compiles against. (The
  // build's depfiles are consumed into the object cache, so the include
  // directories stand for them; system headers do not change while one works.)
  for (const std::string& dir : manifest.include_dirs) {
    std::string path = Absolute(root, dir);
    if (!IsAtOrBelow(path, root)) set.directories.push_back(path);
  }
  std::string runtime = RuntimeDir();
  if (!runtime.empty()) {
    for (const char* part : {"include", "src"}) {
      std::string path = Absolute(root, runtime + "/" + part);
      std::error_code ec;
      if (fs::is_directory(path, ec) && !IsAtOrBelow(path, root)) set.directories.push_back(path);
    }
  }
  return plan;
}

DevChanges ClassifyChanges(const std::vector<std::string>& changed, const DevWatchPlan& plan,
                           const std::set<std::string>& skip) {
  DevChanges changes;
  for (const std::string& path : changed) {
    if (skip.contains(path)) continue;
    // Gone, and not there when the watch began: a tool's temporary (sed -i,
    // an editor's new file renamed over the old one).
    std::error_code ec;
    if (IsAtOrBelow(path, plan.root) && !plan.known_files.contains(path) && !fs::exists(path, ec)) continue;
    bool ignored = false;
    for (const std::string& dir : plan.set.ignored) ignored = ignored || IsAtOrBelow(path, dir);
    if (ignored) continue;
    if (!plan.assets_dir.empty() && IsAtOrBelow(path, plan.assets_dir) && path != plan.assets_dir) {
      if (fs::is_directory(path, ec)) continue;  // its files are reported themselves
      if (fs::path(path).filename().string().starts_with(".")) continue;
      changes.asset_urls.push_back(path.substr(plan.assets_dir.size() + 1));
    } else if (!NeverAnInput(path)) {
      changes.sources.push_back(path);
    }
  }
  return changes;
}

}  // namespace ws
