// device-host: runs an app module exactly as a device would (`wasmship run`):
// checks the module against the host ABI, instantiates it in an engine,
// drives frames with a virtual clock, feeds input, serves fetches, keeps
// the app alive across traps, and measures what a device would feel.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "device-host/session/key_script.h"
#include "diagnostics/result.h"

namespace ws::host {

struct RunOptions {
  std::vector<uint8_t> wasm;
  std::string engine = "interp";   // interp or aot
  uint64_t memory_limit = 0;       // bytes; 0: the module's own
  int width = 1280;
  int height = 720;
  std::vector<Step> steps;
  int frames = 0;                  // run at least this many frames in total
  std::string screenshot;          // written after the last step
  // `--trace`: a Chrome trace-event JSON file written (atomically) at the end
  // of the run: frames, systems, composables, host calls, inputs (docs/trace.md).
  std::string trace_path;
  std::string assets_dir;
  std::string cache_dir;           // aot's compiled modules
  // The watchdog: wall-clock time per call, on both engines (WASMSHIP_WATCHDOG_MS).
  uint32_t watchdog_ms = 10'000;
  uint64_t instruction_budget = 0;  // interp: also an exact instruction limit per call; 0: none
  int max_restarts = 8;
  // Function index → name for trap stacks when the module has no name
  // section (release builds strip it; dist/symbols/<variant>.map.json has them).
  std::map<uint32_t, std::string> symbols;
};

struct TrapRecord {
  std::string kind;
  std::string message;
  std::string during;               // the export that trapped
  int frame = 0;
  std::vector<std::string> stack;   // innermost first, demangled where names exist
  int step = -1;                    // the RunOptions::steps index being performed; -1: none
};

// How long the app took to start, phase by phase: what a user waits for
// before the first picture. Instructions are the interp engine's (0 on aot).
struct StartupFigures {
  double instantiate_ms = 0;   // the engine makes the instance (aot: loads the compiled module)
  double init_ms = 0;          // the ABI version check, _initialize (constructors) and ws_init
  double first_frame_ms = 0;   // ws_frame calls up to and including the first that submitted a draw list
  double total_ms = 0;         // the three together
  uint64_t instantiate_instructions = 0;  // the module's start function, if any
  uint64_t init_instructions = 0;
  uint64_t first_frame_instructions = 0;
  uint64_t instructions = 0;   // the three together
  int first_frame_calls = 0;   // ws_frame calls until the first draw list (usually 1)
  bool measured = false;       // false: the app never started (it kept trapping)
};

// One `expect:` step of a scenario as the run found it (docs/testing.md).
struct ExpectFailure {
  std::string check;    // the field that failed: focused_text, screenshot_matches, ...
  std::string message;  // a sentence: what was expected and what was found
};
struct ExpectRecord {
  int line = 0;  // of the step in its script
  std::vector<ExpectFailure> failures;  // empty: it passed
  int64_t diff_pixels = -1;             // screenshot_matches: pixels that differ; -1: not compared
  std::string golden;                   // screenshot_matches: the golden compared with or written
  bool golden_written = false;          // the run recorded the golden (update_golden)
  std::string actual_path;              // written on a screenshot mismatch
  std::string diff_path;
  bool passed() const { return failures.empty(); }
};

struct RunReport {
  std::string engine;
  StartupFigures startup;             // the first start of the run
  int frames = 0;
  int draw_lists = 0;
  std::vector<double> frame_ms;       // wall time of each ws_frame (plus input and fetch delivery)
  std::vector<double> latency_ms;     // key press → end of the first frame that submitted after it
  std::vector<uint64_t> input_instructions;  // interp: instructions from a key press to that frame
  std::vector<std::string> input_keys;       // the key of each latency sample
  std::vector<uint64_t> instructions; // per frame (interp)
  uint64_t peak_memory = 0;
  size_t workers = 0;                 // most worker threads alive at once (threads variant)
  std::vector<TrapRecord> traps;
  int restarts = 0;
  std::vector<std::string> screenshots;
  std::vector<std::string> warnings;
  std::vector<ExpectRecord> expects;  // one per expect step, in script order
  int marked_good_frame = -1;         // frames run when the app first called ws_host.mark_good; -1: never
};

// What stopped a run (the CLI maps each kind to an exit code).
enum class RunErrorKind {
  kNotAnApp,          // not a wasm module, not a wasmship app, another host ABI version
  kEngineCannotRun,   // the engine cannot run this module (aot: SIMD, threads); another engine can
  kHostSetup,         // the host cannot start it: instantiation failed, no font
  kAppFailedToStart,  // ws_init returned an error
  kOutputFailed,      // a screenshot or the trace could not be written
};

// A problem that stops the run before or while the app runs (traps do not:
// they are in the report).
struct RunError {
  RunErrorKind kind = RunErrorKind::kNotAnApp;
  std::string message;
  std::vector<std::string> notes;
};

// Runs the app. App output goes to `app_out`/`app_err`, trap reports to
// `app_err` as they happen. Traps do not make this fail: they are in the
// report (a device restarts the app and goes on).
struct RunResult {
  bool ok = false;
  RunReport report;
  RunError error;
};
RunResult RunApp(const RunOptions& options, std::ostream& app_out, std::ostream& app_err);

// Summary lines: frames, frame time and latency percentiles, memory,
// instructions per frame, traps.
std::string ReportText(const RunReport& report);
std::string ReportJson(const RunReport& report);
double Percentile(std::vector<double> values, double p);

}  // namespace ws::host
