// `wasmship dev --headless`: the dev session driven by commands on stdin,
// one a line, answered with one JSON object a line on stdout (docs/dev.md
// has the protocol; DESIGN.md's second-stage contracts fix its names):
//   key NAME | wait MS | screenshot FILE.png | wait-reload [TIMEOUT_MS] | state | quit
// File changes are handled while stdin is idle, and while `wait-reload` waits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/dev_loop.h"

namespace ws {

struct HeadlessCommand {
  enum class Kind { kNone, kKey, kWait, kScreenshot, kWaitReload, kState, kQuit };
  Kind kind = Kind::kNone;  // kNone: an empty line or a # comment
  int32_t key = 0;
  double ms = 0;  // wait; wait-reload's timeout
  std::string path;
};

// One line of input, or a message saying what is wrong with it.
Result<HeadlessCommand> ParseHeadlessCommand(const std::string& line);

// What the `ready` event says about the session.
struct DevInfo {
  std::string app;
  std::string device;  // empty: the project has no devices.yaml
  std::string engine;
  std::string profile;
  int width = 0;
  int height = 0;
  std::string original_cwd;  // relative screenshot paths are relative to it
};

// DevEvents as JSON lines on stdout.
class HeadlessEvents : public DevEvents {
 public:
  void Reloaded(const ReloadReport& report) override;
  void Trapped(const host::TrapRecord& trap) override;
  void Note(const std::string& text) override;
};

// Runs until `quit`, the end of stdin or a signal; returns the exit code.
int RunHeadless(DevLoop& loop, const DevInfo& info);

}  // namespace ws
