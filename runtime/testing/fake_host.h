// A host for the runtime's native unit tests: records draw lists and logs,
// measures text with a simple fixed-pitch rule, and serves fetches from an
// in-memory file table when the test says so. (The real host, with fonts,
// PNG decoding and an engine, is device-host/.)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ws::testing {

struct FakeHost {
  std::vector<std::vector<uint8_t>> submissions;
  std::vector<std::pair<int32_t, std::string>> logs;
  std::map<std::string, std::string> files;                 // url → body
  std::vector<std::pair<int32_t, std::string>> requests;    // pending: id, url
  std::vector<std::string> fetched;                         // every url asked for
  int32_t next_request = 1;
  std::vector<std::pair<int32_t, int32_t>> traces;          // ws_host.trace (event, arg)

  // Completes every pending fetch (status 200 with the file, or 404).
  void CompleteFetches();
  void Reset() { *this = FakeHost(); }
};

FakeHost& Host();

// Text is 0.5 × size wide per byte and 1.25 × size tall (both rounded up).
constexpr float kCharWidth = 0.5f;
constexpr float kLineHeight = 1.25f;

}  // namespace ws::testing
