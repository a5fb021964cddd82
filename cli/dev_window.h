// `wasmship dev` with a preview window: the app's frames on the wall clock,
// the keyboard as the device's remote, F1 the statistics overlay, F5 a
// full restart, F12 a screenshot into dist/, and a build error drawn over
// the last good frame until the next good save.
#pragma once

#include <string>

#include "cli/dev_headless.h"
#include "cli/dev_loop.h"

namespace ws {

// DevEvents as lines on stderr.
class TextEvents : public DevEvents {
 public:
  explicit TextEvents(const GlobalOptions& global) : global_(global) {}
  void Reloaded(const ReloadReport& report) override;
  void Trapped(const host::TrapRecord& trap) override;
  void Note(const std::string& text) override;

 private:
  const GlobalOptions& global_;
};

struct WindowSettings {
  double scale = 0;       // --scale; 0: fit the display
  std::string shots_dir;  // where F12 writes (the project's dist/)
};

// Opens the window and runs until it is closed or a signal comes; returns
// the exit code (2 when no window can be opened).
int RunWindow(const GlobalOptions& global, DevLoop& loop, const DevInfo& info,
              const WindowSettings& settings);

}  // namespace ws
