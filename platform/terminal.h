// What the output streams are connected to, which decides between progress
// lines and colors (a terminal) and plain line logs (a pipe, a file, CI).
#pragma once

#include <string>

namespace ws {

enum class ColorMode { kAuto, kAlways, kNever };

bool IsTerminal(int fd);
// True when the CI environment variable is set (to anything but "" or "0"/"false").
bool RunningInCi();
// Colors for output on `fd`: always/never as asked; auto = a terminal, not
// CI, and NO_COLOR unset.
bool UseColor(ColorMode mode, int fd);
// Columns of the terminal on `fd`, or 80.
int TerminalWidth(int fd);

}  // namespace ws
