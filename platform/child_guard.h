// Children must not outlive wasmship, even when it is killed with SIGKILL
// and has no chance to stop them. Each child gets PR_SET_PDEATHSIG (see
// subprocess.cc), but that only reaches the child itself: whatever it
// started (a launcher's compiler, clang's own subprocesses) would be
// orphaned and run on. So the first child also starts a guard: a small
// forked process that knows the process group of every running child
// (through a pipe) and, when the pipe reaches end-of-file because wasmship
// is gone, kills every group still listed with SIGKILL.
#pragma once

#include <sys/types.h>

namespace ws {

// The child `pgid` (its own group's leader) has started: kill its group if
// wasmship dies before ReleaseProcessGroup. Best effort: when the guard
// cannot be started, only PR_SET_PDEATHSIG protects.
void GuardProcessGroup(pid_t pgid);

// The child `pgid` was reaped by wasmship (call it before reaping, while the
// zombie still holds the group id).
void ReleaseProcessGroup(pid_t pgid);

}  // namespace ws
