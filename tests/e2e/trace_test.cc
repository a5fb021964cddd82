// wasmship run --trace: catalog's trace in the trace-event format on both
// engines (schema, nesting, coverage, inputs linked to the frames that
// show them), modules without the trace hooks, and paths that cannot be
// written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Rounding ts and dur to the nanosecond each may put a child's end this far
// past its parent's.
constexpr double kSlackUs = 0.002;

struct Slice {
  const json* event;
  double begin, end;
  const Slice* parent = nullptr;
  std::vector<const Slice*> children;
  std::string name() const { return (*event)["name"]; }
  std::string category() const { return event->value("cat", ""); }
  int64_t instructions() const {
    return event->contains("args") ? (*event)["args"].value("instructions", int64_t{-1}) : -1;
  }
};

// The complete slices of the trace as a tree (on the app's one thread);
// fails the test on a partial overlap.
std::vector<std::unique_ptr<Slice>> Tree(const json& events) {
  std::vector<std::unique_ptr<Slice>> slices;
  for (const json& e : events) {
    if (e["ph"] != "X") continue;
    double ts = e["ts"], dur = e["dur"];
    slices.push_back(std::make_unique<Slice>(Slice{&e, ts, ts + dur, nullptr, {}}));
  }
  // Parents first: by start, the longer first at equal starts.
  std::sort(slices.begin(), slices.end(), [](const auto& a, const auto& b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end > b->end;
  });
  std::vector<Slice*> open;
  for (auto& s : slices) {
    while (!open.empty() && open.back()->end <= s->begin + kSlackUs) open.pop_back();
    if (!open.empty()) {
      EXPECT_LE(s->end, open.back()->end + kSlackUs)
          << s->name() << " overlaps " << open.back()->name() << " partially";
      s->parent = open.back();
      open.back()->children.push_back(s.get());
    }
    open.push_back(s.get());
  }
  return slices;
}

void ExpectTraceEventSchema(const json& trace) {
  ASSERT_TRUE(trace["traceEvents"].is_array());
  EXPECT_EQ(trace["displayTimeUnit"], "ms");
  const std::set<std::string> phases = {"X", "i", "s", "f", "M"};
  for (const json& e : trace["traceEvents"]) {
    ASSERT_TRUE(e["name"].is_string()) << e;
    ASSERT_TRUE(e["ph"].is_string() && phases.count(e["ph"])) << e;
    EXPECT_TRUE(e["pid"].is_number_integer() && e["tid"].is_number_integer()) << e;
    if (e["ph"] == "M") continue;
    ASSERT_TRUE(e["ts"].is_number()) << e;
    EXPECT_GE(e["ts"].get<double>(), 0) << e;
    if (e["ph"] == "X") {
      ASSERT_TRUE(e["dur"].is_number()) << e;
      EXPECT_GE(e["dur"].get<double>(), 0) << e;
    }
    if (e["ph"] == "s" || e["ph"] == "f") EXPECT_TRUE(e["id"].is_number_integer()) << e;
  }
}

const char* kSystems[] = {"input", "focus", "effects", "animation", "layout", "resources", "render", "schedule"};
const char* kKeys = "right,select,down,right";

// Runs catalog with `engine` and checks its trace.
void TraceCatalog(ProjectSandbox& project, const std::string& engine) {
  std::string file = "trace-" + engine + ".json";
  RunResult run = project.Wasmship(
      {"run", "--engine", engine, "--keys", kKeys, "--trace", file, "--frames", "200", "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  json report = json::parse(run.out);
  json trace = json::parse(project.Read(file));
  ExpectTraceEventSchema(trace);
  const json& events = trace["traceEvents"];
  std::vector<std::unique_ptr<Slice>> slices = Tree(events);

  std::map<int, const Slice*> frames;  // by number
  std::set<std::string> systems, composables, host_calls;
  bool interp = engine == "interp";
  for (const auto& s : slices) {
    std::string cat = s->category();
    EXPECT_EQ(s->instructions() >= 0, interp) << s->name() << ": instruction counts on interp only";
    if (cat == "frame") {
      EXPECT_EQ(s->parent, nullptr) << s->name() << " is a top-level slice";
      int number = (*s->event)["args"]["frame"];
      EXPECT_EQ(s->name(), "frame " + std::to_string(number));
      frames[number] = s.get();
    } else if (cat == "system") {
      systems.insert(s->name());
      EXPECT_TRUE(s->parent != nullptr && s->parent->category() == "frame") << s->name() << " outside a frame";
    } else if (cat == "composable") {
      composables.insert(s->name());
      // Built by ws_init, a system, or the composable that uses it.
      ASSERT_NE(s->parent, nullptr) << s->name();
      std::string parent = s->parent->category();
      EXPECT_TRUE(parent == "system" || parent == "composable" || s->parent->name() == "ws_init")
          << s->name() << " inside " << s->parent->name();
    } else if (cat == "host") {
      host_calls.insert(s->name());
      if (s->name() == "submit") EXPECT_EQ(s->parent->name(), "render");
      if (s->name() == "fetch") EXPECT_TRUE((*s->event)["args"]["url"].is_string());
    }
  }
  EXPECT_EQ(static_cast<int>(frames.size()), report["frames"].get<int>());
  for (const char* system : kSystems) EXPECT_TRUE(systems.count(system)) << system;
  for (const char* c : {"ProfilesPage", "ProfileTile", "CollectionsPage", "ShelfRow", "PosterTile"}) {
    EXPECT_TRUE(composables.count(c)) << c;
  }
  for (const char* call : {"submit", "measure_text", "fetch"}) EXPECT_TRUE(host_calls.count(call)) << call;

  // A frame's children account for it: in instructions on interp (exact), in
  // time where the frame is long enough for the clock to tell (the fixed cost
  // of a call into the engine, a few microseconds, sits outside them).
  int timed = 0;
  for (const auto& [number, frame] : frames) {
    double covered = 0;
    int64_t counted = 0;
    for (const Slice* child : frame->children) {
      covered += child->end - child->begin;
      counted += child->instructions();
    }
    double total = frame->end - frame->begin;
    EXPECT_LE(covered, total + kSlackUs * static_cast<double>(frame->children.size())) << frame->name();
    if (interp) EXPECT_GE(counted, 0.95 * static_cast<double>(frame->instructions())) << frame->name();
    if (total >= 1000) {
      ++timed;
      EXPECT_GE(covered, 0.95 * total) << frame->name() << " (" << total << " us)";
    }
  }
  EXPECT_GT(timed, 0) << "no frame took a millisecond";

  // Each key: an instant naming the first frame after it that drew, and an
  // arrow from its ws_input slice to that frame.
  std::map<int64_t, double> flow_starts, flow_ends;
  int keys = 0;
  for (const json& e : events) {
    if (e["ph"] == "s") flow_starts[e["id"]] = e["ts"];
    if (e["ph"] == "f") flow_ends[e["id"]] = e["ts"];
    if (e["ph"] != "i" || e.value("cat", "") != "input") continue;
    ++keys;
    double at = e["ts"];
    ASSERT_TRUE(e["args"]["frame"].is_number_integer()) << e;
    const Slice* shown = frames.at(e["args"]["frame"].get<int>());
    EXPECT_EQ((*shown->event)["args"]["drew"], 1);
    EXPECT_GE(shown->begin, at);
    for (const auto& [number, frame] : frames) {
      if (frame->begin > at && frame->begin < shown->begin) {
        EXPECT_EQ((*frame->event)["args"]["drew"], 0) << frame->name() << " drew before " << shown->name();
      }
    }
  }
  EXPECT_EQ(keys, 4);
  EXPECT_EQ(flow_starts.size(), 4u);
  for (const auto& [id, ts] : flow_starts) {
    ASSERT_TRUE(flow_ends.count(id)) << "flow " << id << " has no end";
    EXPECT_LT(ts, flow_ends[id]);
    bool at_a_frame = std::any_of(frames.begin(), frames.end(), [&](const auto& f) {
      return std::abs(f.second->begin - flow_ends[id]) < kSlackUs;
    });
    EXPECT_TRUE(at_a_frame) << "flow " << id << " ends outside a frame's start";
  }
}

TEST(TraceTest, CatalogTraceOnBothEngines) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  TraceCatalog(project, "interp");
  TraceCatalog(project, "aot");
}

// A module without the hooks (built before them) runs traced: frames and
// host calls, no systems.
TEST(TraceTest, ModuleWithoutTheHooksGetsFramesAndHostCalls) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: x, version: 1.0.0 }\nsources: [src/*.cpp]\n");
  std::string wasm = project.Path("untraced.wasm");
  RunResult wat = RunCommand({"wat2wasm", SourcePath("tests/e2e/data/untraced_v1.wat"), "-o", wasm}, project.dir());
  ASSERT_EQ(wat.exit_code, 0) << wat.err;
  RunResult run = project.Wasmship({"run", "--bundle", wasm, "--keys", "down", "--trace", "t.json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json trace = json::parse(project.Read("t.json"));
  ExpectTraceEventSchema(trace);
  int frames = 0, submits = 0, systems = 0;
  for (const json& e : trace["traceEvents"]) {
    std::string cat = e.value("cat", "");
    frames += cat == "frame";
    submits += e["name"] == "submit";
    systems += cat == "system";
  }
  EXPECT_GE(frames, 2);
  EXPECT_EQ(submits, 2);  // the first frame and the one after the key
  EXPECT_EQ(systems, 0);
}

TEST(TraceTest, PathsThatCannotBeWrittenFailBeforeTheRun) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  project.Write("good.json", "GOOD");
  fs::create_directory(project.Path("a-directory"));
  RunResult missing = project.Wasmship({"run", "--trace", "no/such/dir/t.json"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectContains(missing.err, "--trace no/such/dir/t.json: the directory no/such/dir does not exist");
  EXPECT_FALSE(project.Exists("no"));
  EXPECT_FALSE(project.Exists("dist"));  // refused before building
  RunResult directory = project.Wasmship({"run", "--trace", "a-directory"});
  EXPECT_EQ(directory.exit_code, 2);
  ExpectContains(directory.err, "--trace a-directory is a directory");
  // A run that fails leaves the previous trace as it was.
  RunResult failed = project.Wasmship({"run", "--bundle", "nothing.wasm", "--trace", "good.json"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_EQ(project.Read("good.json"), "GOOD");
  // A run that succeeds replaces it whole, and leaves no temporary file.
  RunResult ok = project.Wasmship({"run", "--trace", "good.json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  json parsed;
  EXPECT_NO_THROW(parsed = json::parse(project.Read("good.json")));
  EXPECT_TRUE(parsed["traceEvents"].is_array());
  for (const auto& entry : fs::directory_iterator(project.dir())) {
    EXPECT_EQ(entry.path().filename().string().find(".good.json.tmp"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace ws::e2e
