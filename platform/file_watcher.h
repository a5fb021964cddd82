// Watches files and directories for changes (inotify), the way editors save:
// in place, write-new-then-rename, backup files, bursts of saves, a file
// deleted and then created again. Changes are coalesced: Wait() returns
// once no new change has come for the debounce interval.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "diagnostics/result.h"

namespace ws {

struct WatchSet {
  std::vector<std::string> files;        // watched by their directory, so a re-created file is seen
  std::vector<std::string> directories;  // recursively; every file in them counts
  std::vector<std::string> ignored;      // directories below those not to watch (dist/, .wasmship/)
};

class FileWatcher {
 public:
  static Result<std::unique_ptr<FileWatcher>> Create(std::chrono::milliseconds debounce = std::chrono::milliseconds(50));
  virtual ~FileWatcher() = default;

  // Replaces what is watched (after a build found new headers, say).
  virtual Status Watch(const WatchSet& set) = 0;
  // A descriptor that becomes readable when a change may be pending (for
  // poll()): when the file system reports one, and again when a batch has
  // settled (so a caller that polls and then calls Wait(0) misses nothing).
  virtual int fd() const = 0;
  // The changed paths (absolute, sorted, unique) once changes have settled
  // for the debounce interval (or, under a constant stream of changes, ten
  // intervals after the first), waiting at most `timeout` for that; empty
  // when no batch settled by then (one still settling stays pending).
  // Editor backup and swap files (~, .swp, 4913, #..#) are ignored.
  virtual std::vector<std::string> Wait(std::chrono::milliseconds timeout) = 0;
};

}  // namespace ws
