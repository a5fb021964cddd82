// A long-lived app session for `wasmship dev`: one app running in an
// engine, driven frame by frame (on the wall clock in a window, on a
// virtual clock headless), with input, screenshots, live statistics, and
// hot reload: a new module replaces the running one and keeps the app's
// state (through the host ABI's hot reload extension), or the old one keeps
// running when the new one cannot start.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "device-host/device_host.h"
#include "diagnostics/result.h"

namespace ws::host {

struct Canvas;

struct LiveOptions {
  std::string engine = "interp";  // interp or aot
  uint64_t memory_limit = 0;      // bytes; 0: the module's own
  int width = 1280;
  int height = 720;
  std::string assets_dir;
  std::string cache_dir;  // aot's compiled modules
  uint32_t watchdog_ms = 10'000;
  int max_restarts = 8;   // traps in a row before the session stops restarting the app
};

// Statistics over the last second of frames (the F1 overlay, `state`).
struct LiveStats {
  double frame_ms_p50 = 0;
  double frame_ms_p99 = 0;
  double input_latency_ms = 0;     // the last key press → the frame that showed it
  uint64_t instructions_per_frame = 0;  // interp: p50 over the last second
  uint64_t memory_bytes = 0;       // linear memory now
  int reloads = 0;                 // successful hot reloads and restarts
  int frames = 0;                  // in all
  int signals = 0;                 // live signals (hot reload builds; else 0)
  std::string focus;               // the focused element (hot reload builds; else "")
  StartupFigures startup;          // the running instance's start (after each reload or restart)
};

// The outcome of Reload() or Restart().
struct ReloadOutcome {
  bool ok = false;          // the new module runs; false: the previous one still does
  bool state_kept = false;  // state carried over; false: a full restart
  int kept_signals = 0;
  int reset_signals = 0;
  std::string focus;
  double swap_ms = 0;       // old instance saved → new one restored and settled
  StartupFigures startup;   // the new instance: instantiate, init, first frame (ok only)
  std::string message;      // why it failed (or why state was not kept)
  std::optional<TrapRecord> trap;  // the new module trapped while starting
};

class LiveSession {
 public:
  // Starts the app (instantiate, ws_init, frames until it settles). App
  // output goes to `app_out`/`app_err`, trap reports to `app_err`.
  static Result<std::unique_ptr<LiveSession>, RunError> Start(const LiveOptions& options,
                                                              std::vector<uint8_t> wasm,
                                                              std::map<uint32_t, std::string> symbols,
                                                              std::ostream& app_out, std::ostream& app_err);
  virtual ~LiveSession() = default;

  // Queues a key press (host_abi key code) for the next frame.
  virtual void Key(int32_t key) = 0;
  // One frame at `now_ms` (the caller's clock: wall time in a window).
  // Returns whether the app wants another frame soon.
  virtual bool Frame(double now_ms) = 0;
  // Headless: advances the virtual clock by `ms`, running frames at 60 Hz.
  virtual void Advance(double ms) = 0;
  // Frames until the app is idle (no animation, fetch or input pending), at most `max_ms` of virtual time.
  virtual void Settle(double max_ms = 2000) = 0;

  // Swaps in a new build. The old instance's state is saved, the new one
  // starts, settles and restores it. When the new module cannot start or
  // traps while starting, the old instance keeps running untouched.
  virtual ReloadOutcome Reload(std::vector<uint8_t> wasm, std::map<uint32_t, std::string> symbols) = 0;
  // F5: the same module from scratch (state dropped).
  virtual ReloadOutcome Restart() = 0;
  // An asset changed: images under that URL are decoded again; any other
  // asset (data the app fetched) makes a state-keeping reload of the same module.
  virtual ReloadOutcome AssetChanged(const std::string& url) = 0;

  // The last frame the app submitted, rasterized into `canvas` (its size).
  virtual void Render(Canvas& canvas) = 0;
  // The last frame as a PNG file (written atomically).
  virtual Status Screenshot(const std::string& path) = 0;
  // Whether a new draw list arrived since the last Render().
  virtual bool HasNewFrame() const = 0;
  virtual LiveStats Stats() = 0;
  // Traps since the session started (each restarted the app).
  virtual const std::vector<TrapRecord>& traps() const = 0;
  // False once the app kept trapping and was given up on (a reload may revive it).
  virtual bool running() const = 0;
};

}  // namespace ws::host
