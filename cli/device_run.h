// `wasmship device run` and `device report`: the device's boot of its
// installed app. A new app is on probation until it calls ws::mark_good()
// (the host ABI's optional ws_host.mark_good) or, if it never does, has run
// `good_after` frames without a trap; a trap (or a failed start) before that rolls the
// device back to the last good app, which then runs, and leaves a crash
// report in the state's reports/ (trap kind, the raw wasm stack as function
// indices, the module's build id) for `device report` and `symbolicate`.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace ws {

struct DeviceRunFlags {
  std::string state_dir;
  std::vector<std::string> report_dirs;  // device report: one state or a fleet's
  int frames = 120;
  int good_after = 60;
  std::string engine = "interp";
  std::string format = "text";
};

int RunDevice(const DeviceRunFlags& flags, const GlobalOptions& global);
// One state directory: its reports. Several (a fleet simulation): every
// report, then a sum by release, build and trap kind.
int ReportDevice(const DeviceRunFlags& flags, const GlobalOptions& global);

}  // namespace ws
