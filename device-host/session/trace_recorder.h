// `wasmship run --trace`: a Chrome trace-event / Perfetto timeline of the
// run (docs/trace.md). The host opens slices (frames, host calls,
// startup calls), the module reports its systems and composables through
// ws_host.trace (docs/host-abi.md, "Traces"), and the recorder stamps each
// with the host's clock and, on interp, the engine's instruction counter.
// TraceJson writes the standard {"traceEvents":[...]} file that
// ui.perfetto.dev and chrome://tracing load.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace ws::host {

// One trace event in the trace-event format's terms.
struct TraceEvent {
  char phase = 'X';  // X a complete slice, i an instant, s/f a flow's start and end, M metadata
  std::string name;
  std::string category;
  double ts_us = 0;   // since the recorder started
  double dur_us = 0;  // X
  int tid = 1;
  uint64_t flow_id = 0;                      // s, f
  std::map<std::string, int64_t> numbers;    // args
  std::map<std::string, std::string> texts;  // args
};

// The trace file: {"traceEvents":[...],"displayTimeUnit":"ms"}, with the
// process named `process_name` and the app's thread named "app".
std::string TraceJson(const std::vector<TraceEvent>& events, const std::string& process_name);

class TraceRecorder {
 public:
  // Instructions the current instance has executed; null when the engine
  // does not count them (aot): the slices then carry no instruction counts.
  using Counter = std::function<uint64_t()>;
  explicit TraceRecorder(Counter counter);

  // A slice from now until End() or CloseTo(); returns its event's index.
  size_t Begin(std::string name, std::string category);
  // Ends the innermost open slice.
  void End();
  // Ends every slice opened at depth `depth` or deeper (a call into the
  // module that trapped leaves the module's slices open).
  void CloseTo(size_t depth);
  size_t depth() const { return open_.size(); }

  // An instant event now; returns its index.
  size_t Instant(std::string name, std::string category);
  // A flow arrow from the slice enclosing now ('s') to the slice that
  // encloses `ts_us` ('f', bound to that enclosing slice).
  void FlowStart(uint64_t id, const std::string& name);
  void FlowEnd(uint64_t id, const std::string& name, double ts_us);

  // ws_host.trace(event, arg) from the module; `memory` is its linear
  // memory, where a composable's name lies. Malformed events are dropped.
  void OnModuleEvent(int32_t event, int32_t arg, std::span<const uint8_t> memory);

  TraceEvent& event(size_t index) { return events_[index]; }
  const std::vector<TraceEvent>& events() const { return events_; }
  double NowUs() const;

 private:
  enum class Kind { kHost, kSystem, kComposable };
  struct Open {
    size_t event;
    uint64_t instructions;
    Kind kind;
  };
  size_t BeginKind(std::string name, std::string category, Kind kind);
  const std::string& NameAt(int32_t address, std::span<const uint8_t> memory);

  Counter counter_;
  std::chrono::steady_clock::time_point start_;
  std::vector<TraceEvent> events_;
  std::vector<Open> open_;
  std::map<int32_t, std::string> names_;  // composable names by address
};

// A slice for the scope of the object, when there is a recorder; closes
// whatever opened inside it too.
class TraceScope {
 public:
  TraceScope(TraceRecorder* recorder, std::string name, std::string category);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;
  // The slice's event (for args); only with a recorder.
  TraceEvent& event() { return recorder_->event(index_); }

 private:
  TraceRecorder* recorder_;
  size_t depth_ = 0;
  size_t index_ = 0;
};

}  // namespace ws::host
