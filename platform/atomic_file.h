// Files that appear whole or not at all: content goes to a temporary file
// in the destination's directory and is renamed over the destination only
// when complete, so a failed or interrupted build never leaves a half-written
// output and never replaces the previous good one.
#pragma once

#include <cstdint>
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

// What a file is read as, and the most bytes accepted for it: every file
// wasmship reads has a cap far above any honest file of its kind, so that a
// huge file, /dev/zero or a FIFO is an error naming the file and the cap
// instead of a read that never ends.
struct ReadLimit {
  std::string_view kind;  // in messages: "a source file may be at most ..."
  uint64_t max_bytes;
};
inline constexpr ReadLimit kSourceFile{"source file", 64ull << 20};  // sources, headers, depfiles, link maps
inline constexpr ReadLimit kConfigFile{"configuration file", 1ull << 20};  // wasmship.yaml, devices.yaml, scripts
inline constexpr ReadLimit kKeyFile{"key file", 64ull << 10};
inline constexpr ReadLimit kModuleFile{"module", 256ull << 20};  // .wasm, objects, generated C (kMaxWasmBytes)
inline constexpr ReadLimit kReportFile{"report", 256ull << 20};  // report.json, index.json, symbol maps
inline constexpr ReadLimit kStateFile{"build state file", 256ull << 20};  // .wasmship/ stamps, cache entries
inline constexpr ReadLimit kImageFile{"image", 64ull << 20};
// Bundles: {"bundle", bundle::kMaxBundleBytes} (ota-bundle/ota_bundle.h).

// The whole of a regular file of at most `limit.max_bytes`. Anything else
// (a directory, FIFO or device; a larger file) is refused without reading
// it, and without blocking on a FIFO.
Result<std::string> ReadFile(const std::string& path, ReadLimit limit = kSourceFile);

// Creates `dir` and its parents; ok when it already exists.
Status MakeDirectories(const std::string& dir);

}  // namespace ws
