#include "platform/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace ws {

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

bool RunningInCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string_view value(ci);
  return !value.empty() && value != "0" && value != "false";
}

bool UseColor(ColorMode mode, int fd) {
  switch (mode) {
    case ColorMode::kAlways: return true;
    case ColorMode::kNever: return false;
    case ColorMode::kAuto: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return IsTerminal(fd) && !RunningInCi();
}

int TerminalWidth(int fd) {
  struct winsize size {};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace ws
