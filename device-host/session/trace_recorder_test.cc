#include "device-host/session/trace_recorder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

using namespace host_abi;  // kTrace*

// A module's memory with `name` (NUL-terminated) at `address`.
std::vector<uint8_t> MemoryWith(uint32_t address, const std::string& name) {
  std::vector<uint8_t> memory(address + name.size() + 16, 0xAA);
  std::memcpy(memory.data() + address, name.c_str(), name.size() + 1);
  return memory;
}

const TraceEvent* Find(const std::vector<TraceEvent>& events, const std::string& name) {
  for (const TraceEvent& e : events) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// e lies within outer's [ts, ts + dur].
bool Inside(const TraceEvent& e, const TraceEvent& outer) {
  return e.ts_us >= outer.ts_us && e.ts_us + e.dur_us <= outer.ts_us + outer.dur_us;
}

TEST(TraceRecorderTest, SystemsFollowEachOtherAndComposablesNestWithInstructionCounts) {
  uint64_t executed = 100;
  TraceRecorder trace([&] { return executed; });
  std::vector<uint8_t> memory = MemoryWith(64, "ShelfRow");
  {
    TraceScope frame(&trace, "frame 1", "frame");
    trace.OnModuleEvent(kTraceSystem, kTraceInput, memory);
    executed += 10;
    trace.OnModuleEvent(kTraceSystem, kTraceLayout, memory);  // ends input
    executed += 3;
    trace.OnModuleEvent(kTraceComposableBegin, 64, memory);
    executed += 5;
    trace.OnModuleEvent(kTraceComposableEnd, 64, memory);
    executed += 2;
    trace.OnModuleEvent(kTraceSystem, kTraceNoSystem, memory);
    executed += 1;
  }
  const std::vector<TraceEvent>& events = trace.events();
  ASSERT_EQ(events.size(), 4u);
  const TraceEvent* frame = Find(events, "frame 1");
  const TraceEvent* input = Find(events, "input");
  const TraceEvent* layout = Find(events, "layout");
  const TraceEvent* row = Find(events, "ShelfRow");
  ASSERT_TRUE(frame && input && layout && row);
  EXPECT_EQ(frame->numbers.at("instructions"), 21);
  EXPECT_EQ(input->numbers.at("instructions"), 10);
  EXPECT_EQ(layout->numbers.at("instructions"), 10);
  EXPECT_EQ(row->numbers.at("instructions"), 5);
  EXPECT_EQ(layout->category, "system");
  EXPECT_EQ(row->category, "composable");
  EXPECT_TRUE(Inside(*input, *frame));
  EXPECT_TRUE(Inside(*row, *layout));
  EXPECT_LE(input->ts_us + input->dur_us, layout->ts_us);  // one after the other, no overlap
  EXPECT_EQ(trace.depth(), 0u);
}

TEST(TraceRecorderTest, ASystemOrTheScopeClosesWhatATrapLeftOpen) {
  TraceRecorder trace(nullptr);
  std::vector<uint8_t> memory = MemoryWith(8, "Tile");
  {
    TraceScope frame(&trace, "frame 1", "frame");
    trace.OnModuleEvent(kTraceSystem, kTraceEffects, memory);
    trace.OnModuleEvent(kTraceComposableBegin, 8, memory);
    trace.OnModuleEvent(kTraceSystem, kTraceRender, memory);  // Tile and effects end here
    EXPECT_EQ(trace.depth(), 2u);                              // frame, render
    trace.OnModuleEvent(kTraceComposableBegin, 8, memory);    // the trap comes inside it
  }
  EXPECT_EQ(trace.depth(), 0u);
  for (const TraceEvent& e : trace.events()) {
    EXPECT_EQ(e.phase, 'X');
    EXPECT_GE(e.dur_us, 0);
    EXPECT_EQ(e.numbers.count("instructions"), 0u) << "no counter, no counts";
  }
}

TEST(TraceRecorderTest, MalformedModuleEventsAreDropped) {
  TraceRecorder trace(nullptr);
  std::vector<uint8_t> memory(32, 0);
  trace.OnModuleEvent(99, 1, memory);                               // unknown event
  trace.OnModuleEvent(kTraceSystem, 42, memory);                    // unknown system
  trace.OnModuleEvent(kTraceComposableEnd, 0, memory);              // nothing open
  trace.OnModuleEvent(kTraceComposableBegin, 1 << 30, memory);      // a name out of bounds
  trace.OnModuleEvent(kTraceComposableEnd, 1 << 30, memory);
  ASSERT_EQ(trace.events().size(), 1u);
  EXPECT_EQ(trace.events()[0].name, "composable@1073741824");
  EXPECT_EQ(trace.depth(), 0u);
}

TEST(TraceRecorderTest, NamesAreCutAndKnownByAddress) {
  TraceRecorder trace(nullptr);
  std::vector<uint8_t> memory = MemoryWith(0, std::string(1000, 'x'));
  trace.OnModuleEvent(kTraceComposableBegin, 0, memory);
  trace.OnModuleEvent(kTraceComposableEnd, 0, memory);
  std::fill(memory.begin(), memory.end(), 'y');  // read once: later calls use the first reading
  trace.OnModuleEvent(kTraceComposableBegin, 0, memory);
  trace.OnModuleEvent(kTraceComposableEnd, 0, memory);
  ASSERT_EQ(trace.events().size(), 2u);
  EXPECT_EQ(trace.events()[0].name, std::string(kTraceMaxName, 'x'));
  EXPECT_EQ(trace.events()[1].name, trace.events()[0].name);
}

TEST(TraceRecorderTest, JsonIsTheTraceEventFormat) {
  TraceRecorder trace([] { return uint64_t{7}; });
  size_t key = trace.Instant("key down", "input");
  trace.event(key).texts["key"] = "down";
  trace.event(key).numbers["frame"] = 2;
  trace.FlowStart(1, "key down");
  size_t frame = trace.Begin("frame \"2\"\n\x01", "frame");
  trace.FlowEnd(1, "key down", trace.event(frame).ts_us);
  trace.End();
  std::vector<TraceEvent> events = trace.events();
  events.push_back({'X', "bad \xff utf-8", "composable", 1, 2, 1, 0, {}, {}});
  nlohmann::json json = nlohmann::json::parse(TraceJson(events, "wasmship run (interp)"));
  EXPECT_EQ(json["displayTimeUnit"], "ms");
  const nlohmann::json& list = json["traceEvents"];
  ASSERT_EQ(list.size(), 7u);  // 2 metadata + 5
  EXPECT_EQ(list[0]["ph"], "M");
  EXPECT_EQ(list[0]["name"], "process_name");
  EXPECT_EQ(list[0]["args"]["name"], "wasmship run (interp)");
  EXPECT_EQ(list[1]["name"], "thread_name");
  for (const nlohmann::json& e : list) {
    EXPECT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name")) << e;
    if (e["ph"] != "M") EXPECT_TRUE(e["ts"].is_number()) << e;
  }
  EXPECT_EQ(list[2]["ph"], "i");
  EXPECT_EQ(list[2]["s"], "t");
  EXPECT_EQ(list[2]["args"]["frame"], 2);
  EXPECT_EQ(list[2]["args"]["key"], "down");
  EXPECT_EQ(list[3]["ph"], "s");
  EXPECT_EQ(list[3]["id"], 1);
  EXPECT_EQ(list[4]["ph"], "X");
  EXPECT_EQ(list[4]["name"], "frame \"2\"\n\x01");
  EXPECT_TRUE(list[4]["dur"].is_number());
  EXPECT_EQ(list[4]["args"]["instructions"], 0);
  EXPECT_EQ(list[5]["ph"], "f");
  EXPECT_EQ(list[5]["bp"], "e");
  EXPECT_EQ(list[5]["ts"], list[4]["ts"]);
  EXPECT_EQ(list[6]["name"], "bad \xEF\xBF\xBD utf-8");  // U+FFFD
}

}  // namespace
}  // namespace ws::host
