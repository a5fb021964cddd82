// Reaches private members of wabt 1.0.32's interpreter that its public API
// does not expose but the interp engine needs:
//   * Thread::frames_        the call stack at a trap (Trap::stack);
//   * Thread::values_        to see whether a memory.grow failed, and to
//                            run memory.atomic.wait/notify in the scheduler
//                            (interp_threads.h), which also moves the frame's
//                            offset past them;
//   * Thread::PushValues / PushCall / PopValues / StepInternal
//                            to run a call one instruction at a time, so
//                            that instructions are counted exactly and an
//                            infinite loop stops at its budget (Func::Call
//                            runs to completion);
//   * Istream::data_         to peek at the next opcode (memory.grow, and
//                            the atomics the scheduler runs itself).
// Explicit template instantiations may name private members (C++20
// [temp.spec.general]/6); each instantiation stores the member pointer in a
// friend function of a tag type. Everything named here is an exported
// symbol of Debian's libwabt.a 1.0.32; a wabt upgrade that renames one
// fails to compile here, not at run time.
#pragma once

#include <vector>

#include "wabt/interp/interp.h"

namespace ws::host::wabt_access {

namespace wi = wabt::interp;

template <typename Tag, typename Tag::type kMember>
struct Expose {
  friend typename Tag::type Member(Tag) { return kMember; }
};

struct ThreadFrames {
  using type = std::vector<wi::Frame> wi::Thread::*;
  friend type Member(ThreadFrames);
};
struct ThreadValues {
  using type = std::vector<wi::Value> wi::Thread::*;
  friend type Member(ThreadValues);
};
struct ThreadPushValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, const wi::Values&);
  friend type Member(ThreadPushValues);
};
struct ThreadPopValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, wi::Values*);
  friend type Member(ThreadPopValues);
};
struct ThreadPushCall {
  using type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc&, wi::Trap::Ptr*);
  friend type Member(ThreadPushCall);
};
struct ThreadStep {
  using type = wi::RunResult (wi::Thread::*)(wi::Trap::Ptr*);
  friend type Member(ThreadStep);
};
struct IstreamData {
  using type = wi::Buffer wi::Istream::*;
  friend type Member(IstreamData);
};

template struct Expose<ThreadFrames, &wi::Thread::frames_>;
template struct Expose<ThreadValues, &wi::Thread::values_>;
template struct Expose<ThreadPushValues, &wi::Thread::PushValues>;
template struct Expose<ThreadPopValues, &wi::Thread::PopValues>;
template struct Expose<ThreadPushCall, &wi::Thread::PushCall>;
template struct Expose<ThreadStep, &wi::Thread::StepInternal>;
template struct Expose<IstreamData, &wi::Istream::data_>;

inline const std::vector<wi::Frame>& Frames(const wi::Thread& thread) {
  return thread.*Member(ThreadFrames{});
}
inline std::vector<wi::Frame>& MutableFrames(wi::Thread& thread) { return thread.*Member(ThreadFrames{}); }
inline const std::vector<wi::Value>& Values(const wi::Thread& thread) {
  return thread.*Member(ThreadValues{});
}
// Only for i32/i64 operands: Thread::refs_ (which marks references for the
// GC) is not kept in step, and the engine never collects.
inline std::vector<wi::Value>& MutableValues(wi::Thread& thread) { return thread.*Member(ThreadValues{}); }
inline void PushValues(wi::Thread& thread, const wi::ValueTypes& types, const wi::Values& values) {
  (thread.*Member(ThreadPushValues{}))(types, values);
}
inline void PopValues(wi::Thread& thread, const wi::ValueTypes& types, wi::Values* values) {
  (thread.*Member(ThreadPopValues{}))(types, values);
}
inline wi::RunResult PushCall(wi::Thread& thread, const wi::DefinedFunc& func, wi::Trap::Ptr* trap) {
  return (thread.*Member(ThreadPushCall{}))(func, trap);
}
// Executes one instruction (Thread::Step without its per-step GC root).
inline wi::RunResult Step(wi::Thread& thread, wi::Trap::Ptr* trap) {
  return (thread.*Member(ThreadStep{}))(trap);
}
inline const wi::Buffer& IstreamBytes(const wi::Istream& istream) { return istream.*Member(IstreamData{}); }

}  // namespace ws::host::wabt_access
