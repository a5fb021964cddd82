#include "device-host/session/trace_recorder.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

constexpr int kPid = 1;

// Microseconds to the nanosecond: viewers read ts and dur as doubles.
double Us(double us) { return std::round(us * 1000) / 1000; }

nlohmann::ordered_json EventJson(const TraceEvent& e) {
  nlohmann::ordered_json j;
  j["name"] = e.name;
  if (!e.category.empty()) j["cat"] = e.category;
  j["ph"] = std::string(1, e.phase);
  j["ts"] = Us(e.ts_us);
  if (e.phase == 'X') j["dur"] = Us(e.dur_us);
  j["pid"] = kPid;
  j["tid"] = e.tid;
  if (e.phase == 'i') j["s"] = "t";  // the instant belongs to its thread
  if (e.phase == 's' || e.phase == 'f') j["id"] = e.flow_id;
  if (e.phase == 'f') j["bp"] = "e";  // bound to the slice enclosing it
  if (!e.numbers.empty() || !e.texts.empty()) {
    nlohmann::ordered_json args = nlohmann::ordered_json::object();
    for (const auto& [name, value] : e.numbers) args[name] = value;
    for (const auto& [name, value] : e.texts) args[name] = value;
    j["args"] = std::move(args);
  }
  return j;
}

nlohmann::ordered_json Metadata(const char* what, int tid, const std::string& name) {
  return {{"name", what}, {"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"args", {{"name", name}}}};
}

}  // namespace

std::string TraceJson(const std::vector<TraceEvent>& events, const std::string& process_name) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  list.push_back(Metadata("process_name", 1, process_name));
  list.push_back(Metadata("thread_name", 1, "app"));
  for (const TraceEvent& e : events) list.push_back(EventJson(e));
  nlohmann::ordered_json trace;
  trace["traceEvents"] = std::move(list);
  trace["displayTimeUnit"] = "ms";
  // A name from the module that is not UTF-8 gets U+FFFD, not an exception.
  return trace.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

TraceRecorder::TraceRecorder(Counter counter) : counter_(std::move(counter)), start_(std::chrono::steady_clock::now()) {}

double TraceRecorder::NowUs() const {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start_).count();
}

size_t TraceRecorder::Begin(std::string name, std::string category) {
  return BeginKind(std::move(name), std::move(category), Kind::kHost);
}

size_t TraceRecorder::BeginKind(std::string name, std::string category, Kind kind) {
  TraceEvent e;
  e.name = std::move(name);
  e.category = std::move(category);
  e.ts_us = NowUs();
  events_.push_back(std::move(e));
  open_.push_back({events_.size() - 1, counter_ ? counter_() : 0, kind});
  return events_.size() - 1;
}

void TraceRecorder::End() {
  if (open_.empty()) return;
  Open slice = open_.back();
  open_.pop_back();
  TraceEvent& e = events_[slice.event];
  e.dur_us = NowUs() - e.ts_us;
  // The counter restarts with each instance; a slice that saw a restart
  // (one around the session's recovery) has no count.
  if (counter_) {
    uint64_t now = counter_();
    if (now >= slice.instructions) e.numbers["instructions"] = static_cast<int64_t>(now - slice.instructions);
  }
}

void TraceRecorder::CloseTo(size_t depth) {
  while (open_.size() > depth) End();
}

size_t TraceRecorder::Instant(std::string name, std::string category) {
  TraceEvent e;
  e.phase = 'i';
  e.name = std::move(name);
  e.category = std::move(category);
  e.ts_us = NowUs();
  events_.push_back(std::move(e));
  return events_.size() - 1;
}

void TraceRecorder::FlowStart(uint64_t id, const std::string& name) {
  TraceEvent e;
  e.phase = 's';
  e.name = name;
  e.category = "input";
  e.ts_us = NowUs();
  e.flow_id = id;
  events_.push_back(std::move(e));
}

void TraceRecorder::FlowEnd(uint64_t id, const std::string& name, double ts_us) {
  TraceEvent e;
  e.phase = 'f';
  e.name = name;
  e.category = "input";
  e.ts_us = ts_us;
  e.flow_id = id;
  events_.push_back(std::move(e));
}

void TraceRecorder::OnModuleEvent(int32_t event, int32_t arg, std::span<const uint8_t> memory) {
  switch (event) {
    case host_abi::kTraceSystem: {
      // The frame's current system ends (with anything a trap left inside it).
      for (size_t i = open_.size(); i > 0 && open_[i - 1].kind != Kind::kHost; --i) {
        if (open_[i - 1].kind == Kind::kSystem) {
          CloseTo(i - 1);
          break;
        }
      }
      if (arg > host_abi::kTraceNoSystem && arg < static_cast<int32_t>(std::size(host_abi::kTraceSystemNames))) {
        BeginKind(std::string(host_abi::kTraceSystemNames[arg]), "system", Kind::kSystem);
      }
      return;
    }
    case host_abi::kTraceComposableBegin: BeginKind(NameAt(arg, memory), "composable", Kind::kComposable); return;
    case host_abi::kTraceComposableEnd:
      if (!open_.empty() && open_.back().kind == Kind::kComposable) End();
      return;
    default: return;
  }
}

const std::string& TraceRecorder::NameAt(int32_t address, std::span<const uint8_t> memory) {
  auto found = names_.find(address);
  if (found != names_.end()) return found->second;
  std::string name;
  for (size_t at = static_cast<uint32_t>(address); at < memory.size() && name.size() < host_abi::kTraceMaxName;
       ++at) {
    if (memory[at] == 0) break;
    name += static_cast<char>(memory[at]);
  }
  if (name.empty()) name = "composable@" + std::to_string(static_cast<uint32_t>(address));
  return names_[address] = std::move(name);
}

TraceScope::TraceScope(TraceRecorder* recorder, std::string name, std::string category) : recorder_(recorder) {
  if (recorder_ == nullptr) return;
  depth_ = recorder_->depth();
  index_ = recorder_->Begin(std::move(name), std::move(category));
}

TraceScope::~TraceScope() {
  if (recorder_ != nullptr) recorder_->CloseTo(depth_);
}

}  // namespace ws::host
