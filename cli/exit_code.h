// The exit codes of DESIGN.md (CI scripts rely on them), and the one place
// where the kinds of failure the libraries return become exit codes.
#pragma once

#include "compiler-driver/compiler_driver.h"
#include "device-host/app_loader.h"
#include "device-host/device_host.h"

namespace ws {

enum ExitCode : int {
  kExitOk = 0,
  kExitBuildError = 1,     // expand, compile, link or optimize failed
  kExitTestFailed = 1,     // a scenario of `wasmship test` failed
  kExitUsage = 2,          // bad flag, bad YAML, unknown device, missing tool
  kExitBudget = 3,         // a size or performance budget was exceeded
  kExitAppTrapped = 4,     // the app trapped during `run` (or `build`'s perf_script run)
  kExitBundleInvalid = 5,  // bundle verification failed
  kExitInterrupted = 130,  // Ctrl-C (SIGTERM: 143; see InterruptExitCode)
};

int ExitCodeFor(BuildStatus status);
int ExitCodeFor(host::LoadErrorKind kind);
int ExitCodeFor(host::RunErrorKind kind);

}  // namespace ws
