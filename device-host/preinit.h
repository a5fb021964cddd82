// Pre-initialization (docs/preinit.md): runs an app's start-up at build time
// in the interpreter, as a device would start it (_initialize, then
// ws_preinit at the build's screen size instead of ws_init), and returns the
// state to write into the module (wasm-binary/snapshot_writer.h).
//
// Host calls whose answer or effect belongs to the device (fetch, the
// clock, random numbers, workers, drawing, logging) end the run: the
// snapshot is then the state before the stage that made the call, and the
// result says which import, in which function, and why.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/result.h"
#include "wasm-binary/snapshot_writer.h"

namespace ws::host {

struct PreinitOptions {
  int width = 1280;
  int height = 720;
  std::map<uint32_t, std::string> symbols;  // function index → name, for the stack in a stop
  uint32_t watchdog_ms = 60'000;
  // Build-time fetches (`preinit_fetch:`): a ws::fetch during ws_preinit of
  // one of these URLs (paths relative to assets_dir) is answered with the
  // file's bytes, delivered after ws_preinit returns; ws_preinit then runs
  // again until no answered fetch is unfinished. Other URLs stay deferred.
  std::string assets_dir;
  std::set<std::string> fetchable;
  uint32_t max_rounds = 1000;  // calls of ws_preinit before the build gives up
};

// Why pre-initialization ended before ws_preinit returned.
struct PreinitStop {
  std::string stage;    // the export that was running: _initialize or ws_preinit
  std::string import;   // e.g. "ws_host.fetch"; empty when the app trapped
  std::string why;      // a sentence: what the call is and why it must run on the device
  std::vector<std::string> stack;  // the wasm call stack, innermost first
};

struct PreinitResult {
  // The state after the last stage that finished; nullopt when none did.
  std::optional<wasm::Snapshot> snapshot;
  std::string snapshot_after;        // "_initialize" or "ws_preinit"
  std::optional<PreinitStop> stopped;
  uint64_t instructions = 0;         // executed by the stages in the snapshot
  std::vector<std::string> fetched;  // the URLs answered at build time, in request order
  uint32_t rounds = 0;               // calls of ws_preinit (1 + one per delivery)
};

// An error only when the module cannot be run at all (not an app, no font).
Result<PreinitResult> Preinitialize(std::span<const uint8_t> wasm, const PreinitOptions& options);

}  // namespace ws::host
