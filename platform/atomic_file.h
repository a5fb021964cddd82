// Files that appear whole or not at all: content goes to a temporary file
// in the destination's directory and is renamed over the destination only
// when complete, so a failed or interrupted build never leaves a half-written
// output and never replaces the previous good one.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics/result.h"

namespace ws {

// A temporary path next to `destination`. Tools (wasm-ld, clang) may write
// to temp_path(); Commit() renames it into place. Without Commit() the
// temporary file is removed when the object goes away.
class PendingFile {
 public:
  explicit PendingFile(std::string destination);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  const std::string& destination() const { return destination_; }
  // `mode` applies from the moment the file exists (0600 for secrets).
  Status Write(std::string_view bytes, unsigned mode = 0644);
  Status Commit();

 private:
  std::string destination_;
  std::string temp_path_;
  bool done_ = false;
};

// Writes `bytes` to `path` atomically, creating parent directories.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, unsigned mode = 0644);

Result<std::string> ReadFile(const std::string& path);

// Creates `dir` and its parents; ok when it already exists.
Status MakeDirectories(const std::string& dir);

}  // namespace ws
