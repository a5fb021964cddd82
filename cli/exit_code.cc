#include "cli/exit_code.h"

#include "platform/interrupt.h"

namespace ws {

// No default labels: -Wswitch (an error here) names a kind left out.

int ExitCodeFor(BuildStatus status) {
  switch (status) {
    case BuildStatus::kOk: return kExitOk;
    case BuildStatus::kConfigError: return kExitUsage;
    case BuildStatus::kBuildError: return kExitBuildError;
    case BuildStatus::kBudgetExceeded: return kExitBudget;
    case BuildStatus::kInterrupted: return InterruptExitCode();
    case BuildStatus::kPerfScriptTrapped: return kExitAppTrapped;
  }
  return kExitBuildError;
}

int ExitCodeFor(host::LoadErrorKind kind) {
  switch (kind) {
    case host::LoadErrorKind::kMissingFile: return kExitUsage;
    case host::LoadErrorKind::kRefused: return kExitBundleInvalid;
  }
  return kExitBundleInvalid;
}

int ExitCodeFor(host::RunErrorKind kind) {
  switch (kind) {
    case host::RunErrorKind::kNotAnApp: return kExitUsage;
    case host::RunErrorKind::kEngineCannotRun: return kExitUsage;
    case host::RunErrorKind::kHostSetup: return kExitUsage;
    case host::RunErrorKind::kAppFailedToStart: return kExitAppTrapped;
    case host::RunErrorKind::kOutputFailed: return kExitBuildError;
  }
  return kExitUsage;
}

}  // namespace ws
