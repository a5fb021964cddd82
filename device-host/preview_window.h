// The preview window of `wasmship dev` (SDL2): shows the app's frames at the
// device's resolution, scaled to fit the screen, with an optional overlay
// (statistics, or a build error over the last good frame), and turns the
// keyboard into device keys and dev commands.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device-host/render/canvas.h"
#include "diagnostics/result.h"

namespace ws::host {

struct WindowOptions {
  std::string title = "wasmship dev";
  int width = 1280;    // the device's screen
  int height = 720;
  double scale = 0;    // 0: the largest scale ≤ 1 that fits the display
};

// What the user did since the last poll.
struct WindowEvent {
  enum class Kind : uint8_t {
    kKey,         // a device key: `key` is a host_abi key code or a character
    kToggleOverlay,  // F1
    kRestart,     // F5
    kScreenshot,  // F12
    kClose,       // the window was closed
  };
  Kind kind = Kind::kKey;
  int32_t key = 0;
};

class PreviewWindow {
 public:
  // Opens the window; fails (with a message naming $DISPLAY) when there is no display.
  static Result<std::unique_ptr<PreviewWindow>> Open(const WindowOptions& options);
  virtual ~PreviewWindow() = default;

  // Events since the last call; never blocks.
  virtual std::vector<WindowEvent> Poll() = 0;
  // Waits up to `timeout_ms` for an event (so an idle session sleeps).
  virtual void WaitForEvent(int timeout_ms) = 0;
  // Shows `frame` (the device's size) with `overlay_lines` drawn over it
  // (none: no overlay); `error` true draws them as an error panel.
  virtual void Present(const Canvas& frame, const std::vector<std::string>& overlay_lines, bool error) = 0;
};

}  // namespace ws::host
