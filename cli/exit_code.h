// The exit codes of DESIGN.md; CI scripts rely on them.
#pragma once

namespace ws {

enum ExitCode : int {
  kExitOk = 0,
  kExitBuildError = 1,     // expand, compile, link or optimize failed
  kExitUsage = 2,          // bad flag, bad YAML, unknown device, missing tool
  kExitBudget = 3,         // a size budget was exceeded
  kExitAppTrapped = 4,     // the app trapped during `run`
  kExitBundleInvalid = 5,  // bundle verification failed
  kExitInterrupted = 130,  // Ctrl-C (SIGTERM: 143; see InterruptExitCode)
};

}  // namespace ws
