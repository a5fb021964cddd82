#include "device-host/engine/interp_threads.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "device-host/engine/wabt_access.h"

namespace ws::host {
namespace {

namespace wi = wabt::interp;
namespace wa = wabt_access;

constexpr uint64_t kForever = UINT64_MAX;

// The wasm results of memory.atomic.wait.
constexpr uint32_t kWaitOk = 0;
constexpr uint32_t kWaitNotEqual = 1;
constexpr uint32_t kWaitTimedOut = 2;

uint64_t AddressOf(const wi::Memory& memory, const wi::Value& value) {
  return memory.type().limits.is_64 ? value.Get<wi::u64>() : value.Get<wi::u32>();
}

// Empty when an atomic access of `size` bytes at address+offset is in
// bounds and naturally aligned; otherwise the trap's message, worded like
// wabt's own so that the trap gets the same kind.
std::string CheckAtomicAccess(const wi::Memory& memory, const char* what, uint64_t address, uint64_t offset,
                              uint64_t size) {
  std::string where = std::string(what) + " at " + std::to_string(address) + "+" + std::to_string(offset);
  if (!memory.IsValidAccess(address, offset, size)) {
    return "out of bounds memory access: " + where + " >= max value " + std::to_string(memory.ByteSize());
  }
  if (!memory.IsValidAtomicAccess(address, offset, size)) return "unaligned atomic memory access: " + where;
  return "";
}

wi::RunResult TrapWith(wi::Store& store, const wi::Thread& thread, const std::string& message,
                       wi::Trap::Ptr* trap) {
  *trap = wi::Trap::New(store, message, wa::Frames(thread));
  return wi::RunResult::Trap;
}

RunEnd OutOfBudget(bool out_of_time = false) {
  RunEnd end;
  end.result = wi::RunResult::Ok;  // still running when stopped
  end.out_of_budget = true;
  end.out_of_time = out_of_time;
  return end;
}

// Marks a strand as taking its turn for as long as the turn lasts.
class BusyTurn {
 public:
  explicit BusyTurn(Strand& strand) : strand_(strand) { strand_.busy = true; }
  ~BusyTurn() { strand_.busy = false; }
  BusyTurn(const BusyTurn&) = delete;
  BusyTurn& operator=(const BusyTurn&) = delete;

 private:
  Strand& strand_;
};

uint64_t DeadlineAfter(uint64_t now, int64_t timeout) {
  if (timeout < 0) return kForever;
  uint64_t span = static_cast<uint64_t>(timeout);
  return span >= kForever - now ? kForever - 1 : now + span;
}

// What a memory.atomic.wait/notify at the top frame works on: its memory,
// the offset immediate, where the next instruction starts and the value
// stack with the operands on top.
struct AtomicSite {
  wi::Frame& frame;
  wi::Istream::Offset next;
  wi::Ref memory_ref;
  wi::Memory::Ptr memory;
  uint64_t offset;
  std::vector<wi::Value>& values;
};

AtomicSite ReadAtomicSite(wi::Store& store, wi::Thread& thread) {
  wi::Frame& frame = wa::MutableFrames(thread).back();
  wi::Istream::Offset next = frame.offset;
  wi::Instr instr = frame.mod->desc().istream.Read(&next);
  wi::Ref memory_ref = frame.inst->memories()[instr.imm_u32x2.fst];
  return {frame, next, memory_ref, store.UnsafeGet<wi::Memory>(memory_ref), instr.imm_u32x2.snd,
          wa::MutableValues(thread)};
}

}  // namespace

Scheduler::Scheduler(wi::Store& store, bool atomics, GrowFn grow)
    : store_(store), atomics_(atomics), grow_(std::move(grow)), peek_(atomics_ || grow_) {}

RunEnd Scheduler::Run(wi::Thread& caller_thread, uint64_t budget, uint32_t watchdog_ms, uint64_t* executed) {
  // A nested Run (a host function calling back in) may be stepping inside
  // a worker's turn of an outer Run: only the outermost may drop workers.
  if (depth_ == 0) Sweep();
  ++depth_;
  Strand caller;
  caller.thread = &caller_thread;
  Budget counted{budget, 0, executed, std::nullopt};
  if (watchdog_ms != 0) counted.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(watchdog_ms);
  RunEnd end = Loop(caller, counted);
  Forget(caller);  // a deadlocked caller is still among the waiters
  --depth_;
  return end;
}

RunEnd Scheduler::Loop(Strand& caller, Budget& budget) {
  for (;;) {
    bool ran = false;
    if (caller.state == Strand::State::kRunnable) {
      ran = true;
      if (std::optional<RunEnd> end = Slice(caller, /*is_caller=*/true, budget)) return std::move(*end);
    }
    // By index: a turn may spawn workers (and grow the vector).
    for (size_t i = 0; i < workers_.size(); ++i) {
      Strand& worker = *workers_[i];
      if (worker.state != Strand::State::kRunnable || worker.busy) continue;
      ran = true;
      if (std::optional<RunEnd> end = Slice(worker, /*is_caller=*/false, budget)) return std::move(*end);
    }
    if (!ran && !AdvanceTime()) {
      RunEnd end;
      end.result = wi::RunResult::Trap;
      end.deadlock = true;
      return end;
    }
  }
}

// One turn of up to kSliceInstructions. A value when the Run ends: the
// caller returned or trapped, a worker trapped, or the budget ran out.
std::optional<RunEnd> Scheduler::Slice(Strand& strand, bool is_caller, Budget& budget) {
  // The whole turn counts as inside a step: a nested Run can only start
  // from one of its instructions.
  BusyTurn turn(strand);
  // Once a slice (about 20 us of interpreting): cheap next to the slice.
  if (budget.deadline && std::chrono::steady_clock::now() >= *budget.deadline) return OutOfBudget(true);
  wi::Trap::Ptr trap;
  uint64_t done = 0;
  while (done < kSliceInstructions && strand.state == Strand::State::kRunnable) {
    wi::RunResult result = wi::RunResult::Ok;
    if (!is_caller && wa::Frames(*strand.thread).empty()) result = StartNextCall(strand, &trap);
    if (result == wi::RunResult::Return) {
      strand.state = Strand::State::kDone;
      break;
    }
    if (result == wi::RunResult::Ok) {
      uint64_t allowed = kSliceInstructions - done;
      if (budget.limit != 0) {
        if (budget.used >= budget.limit) return OutOfBudget();
        allowed = std::min(allowed, budget.limit - budget.used);
      }
      uint64_t steps = 0;
      result = Steps(strand, allowed, &steps, budget.executed, &trap);
      done += steps;
      budget.used += steps;
    }
    if (result == wi::RunResult::Ok || (result == wi::RunResult::Return && !is_caller)) continue;
    RunEnd end;
    end.result = result;
    end.trap = std::move(trap);
    if (!is_caller) {
      strand.state = Strand::State::kDone;
      end.worker = strand.thread;
    }
    return end;
  }
  return std::nullopt;
}

// Up to `allowed` instructions, fewer when one returns, traps or blocks:
// the hot loop of every call, kept free of the scheduler's bookkeeping.
// *executed counts as it goes: a host function reading it (a trace) sees
// every instruction before its call.
wi::RunResult Scheduler::Steps(Strand& strand, uint64_t allowed, uint64_t* steps, uint64_t* executed,
                               wi::Trap::Ptr* trap) {
  wi::RunResult result = wi::RunResult::Ok;
  uint64_t n = 0;
  while (n < allowed && result == wi::RunResult::Ok && strand.state == Strand::State::kRunnable) {
    ++*executed;
    result = Step(strand, trap);
    ++n;
  }
  *steps = n;
  return result;
}

// Pushes a worker's next call: Ok, Return when it has none left (the
// worker is done), or Trap.
wi::RunResult Scheduler::StartNextCall(Strand& strand, wi::Trap::Ptr* trap) {
  if (strand.pending.empty()) return wi::RunResult::Return;
  PendingCall call = std::move(strand.pending.front());
  strand.pending.pop_front();
  wi::Func::Ptr func = store_.UnsafeGet<wi::Func>(call.func);
  auto* defined = wabt::dyn_cast<wi::DefinedFunc>(func.get());
  if (defined == nullptr) return TrapWith(store_, *strand.thread, "a worker's function is an import", trap);
  wa::MutableValues(*strand.thread).clear();
  wa::PushValues(*strand.thread, func->type().params, call.params);
  return wa::PushCall(*strand.thread, *defined, trap);
}

wi::RunResult Scheduler::Step(Strand& strand, wi::Trap::Ptr* trap) {
  wi::Thread& thread = *strand.thread;
  if (!peek_) return wa::Step(thread, trap);
  const wi::Frame& frame = wa::Frames(thread).back();
  wi::Istream::SerializedOpcode op = 0;
  std::memcpy(&op, wa::IstreamBytes(frame.mod->desc().istream).data() + frame.offset, sizeof(op));
  switch (op) {
    case wabt::Opcode::MemoryGrow:
      if (grow_) return grow_(thread, trap);
      break;
    case wabt::Opcode::MemoryAtomicWait32:
      if (atomics_) return Wait<wi::u32>(strand, trap);
      break;
    case wabt::Opcode::MemoryAtomicWait64:
      if (atomics_) return Wait<wi::u64>(strand, trap);
      break;
    case wabt::Opcode::MemoryAtomicNotify:
      if (atomics_) return Notify(strand, trap);
      break;
    case wabt::Opcode::AtomicFence:
      if (atomics_) return Skip(strand);  // one OS thread: every access is ordered
      break;
    default: break;
  }
  return wa::Step(thread, trap);
}

// memory.atomic.wait32/64 (address, expected, timeout_ns) -> 0 ok | 1
// not-equal | 2 timed-out. Blocking leaves the result to Wake.
template <typename T>
wi::RunResult Scheduler::Wait(Strand& strand, wi::Trap::Ptr* trap) {
  wi::Thread& thread = *strand.thread;
  auto [frame, next, memory_ref, memory, offset, values] = ReadAtomicSite(store_, thread);
  const size_t top = values.size();
  const int64_t timeout = values[top - 1].Get<wi::s64>();
  const T expected = values[top - 2].Get<T>();
  const uint64_t address = AddressOf(*memory, values[top - 3]);
  const char* name = sizeof(T) == 4 ? "memory.atomic.wait32" : "memory.atomic.wait64";
  if (std::string why = CheckAtomicAccess(*memory, name, address, offset, sizeof(T)); !why.empty()) {
    return TrapWith(store_, thread, why, trap);
  }
  if (!memory->type().limits.is_shared) {
    return TrapWith(store_, thread, std::string(name) + " on a memory that is not shared", trap);
  }
  values.resize(top - 3);
  frame.offset = next;
  T actual{};
  (void)memory->Load(address, offset, &actual);  // checked above
  if (actual != expected || timeout == 0) {
    values.push_back(wi::Value::Make(actual != expected ? kWaitNotEqual : kWaitTimedOut));
    return wi::RunResult::Ok;
  }
  strand.state = Strand::State::kBlocked;
  waiters_.push_back({&strand, memory_ref.index, address + offset, DeadlineAfter(now_ns_, timeout)});
  return wi::RunResult::Ok;
}

// memory.atomic.notify (address, count) -> how many waiters it woke, the
// longest-waiting first.
wi::RunResult Scheduler::Notify(Strand& strand, wi::Trap::Ptr* trap) {
  wi::Thread& thread = *strand.thread;
  auto [frame, next, memory_ref, memory, offset, values] = ReadAtomicSite(store_, thread);
  const size_t top = values.size();
  const uint32_t count = values[top - 1].Get<wi::u32>();
  const uint64_t address = AddressOf(*memory, values[top - 2]);
  if (std::string why = CheckAtomicAccess(*memory, "memory.atomic.notify", address, offset, 4);
      !why.empty()) {
    return TrapWith(store_, thread, why, trap);
  }
  values.resize(top - 2);
  frame.offset = next;
  uint32_t woken = 0;
  for (auto waiter = waiters_.begin(); waiter != waiters_.end() && woken < count;) {
    bool match = waiter->memory == memory_ref.index && waiter->address == address + offset;
    if (!match) {
      ++waiter;
      continue;
    }
    waiter = Wake(waiter, kWaitOk);
    ++woken;
  }
  values.push_back(wi::Value::Make(woken));
  return wi::RunResult::Ok;
}

wi::RunResult Scheduler::Skip(Strand& strand) {
  wi::Frame& frame = wa::MutableFrames(*strand.thread).back();
  (void)frame.mod->desc().istream.Read(&frame.offset);
  return wi::RunResult::Ok;
}

std::deque<Scheduler::Waiter>::iterator Scheduler::Wake(std::deque<Waiter>::iterator waiter,
                                                        uint32_t result) {
  Strand& strand = *waiter->strand;
  wa::MutableValues(*strand.thread).push_back(wi::Value::Make(result));
  strand.state = Strand::State::kRunnable;
  return waiters_.erase(waiter);
}

// Nothing can run: time jumps to the earliest deadline, whose waiters time
// out. False when nobody waits with a deadline (a deadlock).
bool Scheduler::AdvanceTime() {
  uint64_t earliest = kForever;
  for (const Waiter& waiter : waiters_) earliest = std::min(earliest, waiter.deadline);
  if (earliest == kForever) return false;
  now_ns_ = std::max(now_ns_, earliest);
  for (auto waiter = waiters_.begin(); waiter != waiters_.end();) {
    waiter = waiter->deadline <= now_ns_ ? Wake(waiter, kWaitTimedOut) : std::next(waiter);
  }
  return true;
}

void Scheduler::Forget(const Strand& strand) {
  std::erase_if(waiters_, [&strand](const Waiter& waiter) { return waiter.strand == &strand; });
}

void Scheduler::Sweep() {
  std::erase_if(workers_,
                [](const std::unique_ptr<Strand>& worker) { return worker->state == Strand::State::kDone; });
}

bool Scheduler::AddWorker(std::vector<PendingCall> calls) {
  if (LiveWorkers() >= kMaxWorkers) return false;
  auto worker = std::make_unique<Strand>();
  worker->owned = std::make_unique<wi::Thread>(store_);
  worker->thread = worker->owned.get();
  for (PendingCall& call : calls) worker->pending.push_back(std::move(call));
  workers_.push_back(std::move(worker));
  return true;
}

size_t Scheduler::LiveWorkers() const {
  return static_cast<size_t>(std::count_if(workers_.begin(), workers_.end(), [](const auto& worker) {
    return worker->state != Strand::State::kDone;
  }));
}

}  // namespace ws::host
