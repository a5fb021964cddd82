// For tests of the preview window: a private X server (Xvfb), and the X
// tools that drive it like a user (xdotool) and look at it (xwd). The
// tests use the real programs that scripts/setup installs; none is mocked.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "device-host/render/canvas.h"
#include "diagnostics/result.h"

namespace ws::host {

// An Xvfb of its own: started on a free display number (Xvfb picks it and
// tells us through -displayfd, so parallel tests never race for one), and
// stopped by its pid when this goes away.
class XServer {
 public:
  static Result<std::unique_ptr<XServer>> Start(int width = 1920, int height = 1080);
  ~XServer();
  XServer(const XServer&) = delete;
  XServer& operator=(const XServer&) = delete;

  const std::string& display() const { return display_; }  // ":N"

  // Runs an X client (`argv`, e.g. {"xdotool", "key", "Up"}) on this display
  // and returns its output; an error when it fails.
  Result<std::string> Run(std::vector<std::string> argv, double timeout_s = 30) const;
  // The id of the first window whose title contains `title`, waiting for
  // it to be mapped (up to `timeout_s`).
  Result<std::string> FindWindow(const std::string& title, double timeout_s = 30) const;
  // Gives `window` the keyboard focus (there is no window manager to do it).
  Status Focus(const std::string& window) const;
  // Presses and releases a key (an X keysym name: "Up", "Return", "F5", "a").
  Status Key(const std::string& window, const std::string& keysym) const;
  // The pixels of `window` now (xwd).
  Result<Canvas> Capture(const std::string& window, const std::string& scratch_dir) const;

 private:
  XServer(pid_t pid, std::string display) : pid_(pid), display_(std::move(display)) {}
  pid_t pid_;
  std::string display_;
};

// Decodes an X window dump (xwd's format, TrueColor ZPixmap of 24 or 32
// bits a pixel) into RGBA.
Result<Canvas> ParseXwd(std::string_view bytes);

}  // namespace ws::host
