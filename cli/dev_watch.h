// What `wasmship dev` watches and what a change means: the project
// directory (without dist/, .wasmship/ and hidden directories),
// wasmship.yaml, devices.yaml, the assets directory, include directories
// outside the project and the runtime's sources (the headers every build
// reads). A change only under the assets directory reloads those assets;
// any other change rebuilds.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "compiler-driver/manifest.h"
#include "platform/file_watcher.h"

namespace ws {

struct DevWatchPlan {
  WatchSet set;
  std::string root;
  std::set<std::string> known_files;  // the project's files when the watch began
  std::string assets_dir;             // absolute, no trailing slash; empty: none
};

// `root` is the project directory (absolute); `manifest` as loaded there.
DevWatchPlan PlanDevWatch(const std::string& root, const Manifest& manifest);

struct DevChanges {
  std::vector<std::string> asset_urls;  // relative to the assets directory
  std::vector<std::string> sources;     // everything else that changed (absolute)
  bool rebuild() const { return !sources.empty(); }
};

// Sorts changed paths into assets and the rest, leaving out `skip` (files
// dev wrote itself, such as screenshots).
DevChanges ClassifyChanges(const std::vector<std::string>& changed, const DevWatchPlan& plan,
                           const std::set<std::string>& skip);

}  // namespace ws
