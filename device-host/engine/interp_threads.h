// The interp engine's threads of execution (docs/host-abi.md, "Threads
// variant"). Everything runs on one OS thread, deterministically: during a
// Call, the thread the host called and the workers take turns in slices of
// kSliceInstructions, in a fixed order (the caller first, then the workers in
// the order they were spawned), until the caller's function returns.
//
// wabt 1.0.32 traps on memory.atomic.wait32/wait64/notify and atomic.fence
// ("not implemented"), so the scheduler executes them itself before wabt
// sees them: a wait that blocks parks its strand in a FIFO of waiters, a
// notify wakes the first `count` waiters on its address. Timeouts run on a
// virtual clock that only moves when no strand can run: it then jumps to the
// earliest deadline. When every strand that could run waits forever, the
// call ends in a deadlock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "wabt/interp/interp.h"

namespace ws::host {

// Long enough that switching costs little, short enough that a worker
// spinning on a flag does not starve the others for long.
inline constexpr uint32_t kSliceInstructions = 1000;
// Workers alive at once; spawn_worker fails beyond (the runtime then does
// the work inline).
inline constexpr size_t kMaxWorkers = 16;

// A function for a worker to run when its previous one has returned.
struct PendingCall {
  wabt::interp::Ref func;
  wabt::interp::Values params;
};

// One thread of execution: the wabt thread a Call runs on, or a worker.
struct Strand {
  enum class State { kRunnable, kBlocked, kDone };

  wabt::interp::Thread* thread = nullptr;
  std::unique_ptr<wabt::interp::Thread> owned;  // a worker owns its thread
  State state = State::kRunnable;
  // Taking its turn: a host function it called may be running (and may
  // have called back into the instance); a nested Run must not step it.
  bool busy = false;
  std::deque<PendingCall> pending;  // a worker's calls still to start
};

// How Scheduler::Run ended.
struct RunEnd {
  wabt::interp::RunResult result = wabt::interp::RunResult::Return;
  wabt::interp::Trap::Ptr trap;
  bool out_of_budget = false;  // the instruction budget or the wall-clock limit ran out ...
  bool out_of_time = false;    // ... the latter
  bool deadlock = false;
  // The worker's thread when a worker trapped (null: the caller's own
  // trap). Valid until the next outermost Run.
  const wabt::interp::Thread* worker = nullptr;
};

class Scheduler {
 public:
  // Executes a thread's next instruction, a memory.grow (the engine
  // watches whether the device's cap refused it).
  using GrowFn = std::function<wabt::interp::RunResult(wabt::interp::Thread&, wabt::interp::Trap::Ptr*)>;

  // `atomics`: execute wait/notify/fence here (modules with a shared
  // memory). `grow`: empty when nothing watches memory.grow. Any other
  // instruction goes straight to wabt, without a call through a pointer:
  // this is the interpreter's hot path.
  Scheduler(wabt::interp::Store& store, bool atomics, GrowFn grow);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `caller`, whose thread has a call pushed, until that call returns,
  // traps, exceeds `budget` instructions (0: none; counted over all
  // strands) or `watchdog_ms` of wall-clock time (0: none; the clock is
  // read once a slice), or deadlocks. Adds every instruction to *executed.
  RunEnd Run(wabt::interp::Thread& caller, uint64_t budget, uint32_t watchdog_ms, uint64_t* executed);

  // A new worker that will run `calls` in order when some Run gives it
  // turns. False when kMaxWorkers are alive.
  bool AddWorker(std::vector<PendingCall> calls);
  size_t LiveWorkers() const;

 private:
  struct Waiter {
    Strand* strand;
    size_t memory;  // Ref index of the memory
    uint64_t address;
    uint64_t deadline;  // virtual ns; UINT64_MAX: none
  };
  struct Budget {
    uint64_t limit;
    uint64_t used;
    uint64_t* executed;
    std::optional<std::chrono::steady_clock::time_point> deadline;
  };

  RunEnd Loop(Strand& caller, Budget& budget);
  std::optional<RunEnd> Slice(Strand& strand, bool is_caller, Budget& budget);
  wabt::interp::RunResult Steps(Strand& strand, uint64_t allowed, uint64_t* steps, uint64_t* executed,
                                wabt::interp::Trap::Ptr* trap);
  wabt::interp::RunResult StartNextCall(Strand& strand, wabt::interp::Trap::Ptr* trap);
  wabt::interp::RunResult Step(Strand& strand, wabt::interp::Trap::Ptr* trap);
  template <typename T>
  wabt::interp::RunResult Wait(Strand& strand, wabt::interp::Trap::Ptr* trap);
  wabt::interp::RunResult Notify(Strand& strand, wabt::interp::Trap::Ptr* trap);
  wabt::interp::RunResult Skip(Strand& strand);
  std::deque<Waiter>::iterator Wake(std::deque<Waiter>::iterator waiter, uint32_t result);
  bool AdvanceTime();
  void Forget(const Strand& strand);
  void Sweep();

  wabt::interp::Store& store_;
  bool atomics_;
  GrowFn grow_;
  bool peek_;                                     // some instruction needs more than wabt's step
  std::vector<std::unique_ptr<Strand>> workers_;  // in spawn order
  std::deque<Waiter> waiters_;                    // in the order their waits began
  uint64_t now_ns_ = 0;
  int depth_ = 0;  // nested Runs (a host function calling back in)
};

}  // namespace ws::host
