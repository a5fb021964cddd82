// Where a device's client reads the repository from: a directory, or an
// HTTP(S) base URL through libcurl. Every read has a byte limit and stops
// as soon as more arrives (endless data: a server that never stops sending
// costs the device the limit and one byte, not its memory).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "diagnostics/result.h"

namespace ws::tuf {

struct FetchError {
  enum Kind { kNotFound, kTooLarge, kFailed };
  Kind kind = kFailed;
  std::string message;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // `path` relative to the repository ("timestamp.json", "targets/stable/...").
  virtual Result<std::string, FetchError> Fetch(const std::string& path, uint64_t max_bytes) = 0;
};

// http:// or https:// → libcurl; anything else is a directory.
std::unique_ptr<Fetcher> MakeFetcher(const std::string& repo);

}  // namespace ws::tuf
