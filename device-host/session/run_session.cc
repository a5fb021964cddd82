// The run loop of `wasmship run`: one app, one engine, frames on a virtual
// clock (1/60 s each), input between frames, and a fresh instance after
// every trap, as on a device.
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "device-host/device_host.h"
#include "device-host/engine/engine.h"
#include "device-host/session/app_runner.h"
#include "device-host/session/expect_check.h"
#include "device-host/session/hot_reload.h"
#include "device-host/session/host_services.h"
#include "device-host/session/trace_recorder.h"
#include "device-host/render/png_codec.h"
#include "platform/atomic_file.h"
#include "platform/elapsed.h"
#include "platform/interrupt.h"
#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kFrameMs = 1000.0 / 60.0;
constexpr int kSettleFrames = 120;   // after start: load assets, finish entry animations
constexpr int kKeyFrames = 60;       // after a key: until the app is idle, at most 1 s

class Session {
  struct PendingKey {
    Clock::time_point time;
    uint64_t instructions = 0;
    std::string name;
    size_t trace_instant = 0;  // --trace: the key's instant event
    uint64_t trace_flow = 0;   // and its arrow to the frame that shows it
  };

 public:
  Session(const RunOptions& options, std::shared_ptr<const AppModule> app, Engine& engine, Font& font,
          std::ostream& out, std::ostream& err)
      : options_(options),
        font_(font),
        err_(err),
        runner_(std::move(app), engine, font,
                {{options.memory_limit, options.instruction_budget, options.watchdog_ms, options.cache_dir},
                 options.width,
                 options.height,
                 {options.assets_dir, &out, &err, 1}}) {
    report_.engine = engine.name();
    if (!options.trace_path.empty()) {
      TraceRecorder::Counter counter;
      if (std::string(engine.name()) == "interp") {
        counter = [this] { return runner_.has_instance() ? runner_.instance().InstructionsExecuted() : 0; };
      }
      tracer_ = std::make_unique<TraceRecorder>(std::move(counter));
      runner_.services().SetTracer(tracer_.get());
    }
  }

  RunResult Run() {
    RunResult result;
    // A device compiles (aot) at install time, not at each start.
    if (Status prepared = runner_.Prepare(); !prepared) {
      result.error = {RunErrorKind::kHostSetup, "cannot instantiate the app with the " +
                                                    std::string(runner_.engine_name()) + " engine: " +
                                                    prepared.error().message, {}};
      return result;
    }
    if (tracer_) startup_.emplace(tracer_.get(), "startup", "startup");
    if (!Start(result.error)) {
      if (!result.error.message.empty()) return result;
      stopped_ = true;  // it kept trapping while starting: the report says so
    }
    startup_.reset();
    if (!stopped_) RunFrames(kSettleFrames, /*until_idle=*/true);
    for (size_t i = 0; i < options_.steps.size(); ++i) {
      if (stopped_ || InterruptRequested()) break;
      step_ = static_cast<int>(i);
      Perform(options_.steps[i], result.error);
      if (!result.error.message.empty()) return result;
    }
    FailUnreachedExpects();
    step_ = -1;
    if (!stopped_) RunFrames(kSettleFrames, /*until_idle=*/true);
    while (!stopped_ && !InterruptRequested() && report_.frames < options_.frames) RunFrames(1, false);
    if (!options_.screenshot.empty() && !Screenshot(options_.screenshot, result.error)) return result;
    if (tracer_ && !WriteTrace(result.error)) return result;
    report_.warnings = runner_.services().warnings();
    result.ok = true;
    result.report = std::move(report_);
    return result;
  }

 private:
  // A new instance; a trap while it starts restarts it (up to max_restarts).
  bool Start(RunError& error) {
    while (true) {
      StartOutcome started = runner_.Start();
      if (started.ok) {
        // The first start is the one a user waits for; restarts after traps are in `traps`.
        if (!report_.startup.measured) {
          report_.startup = started.startup;
          report_.startup.measured = true;
          first_frame_pending_ = true;
        }
        return true;
      }
      if (started.error) {
        error = std::move(*started.error);
        return false;
      }
      if (!Record(*started.trap, host_abi::kExportInit.name.data())) return false;
    }
  }

  // Records a trap; returns false when the app keeps trapping and the run stops.
  bool Record(const Trap& trap, const char* during) {
    first_frame_pending_ = false;  // a trap before the first picture: the figures end there
    TrapRecord record = runner_.Describe(trap, during, report_.frames);
    record.step = step_;
    PrintTrap(err_, record, runner_.engine_name());
    report_.traps.push_back(std::move(record));
    if (report_.restarts >= options_.max_restarts) {
      err_ << "wasmship: the app trapped " << report_.traps.size() << " times; giving up\n";
      stopped_ = true;
      return false;
    }
    ++report_.restarts;
    err_ << "wasmship: restarting the app\n";
    return true;
  }

  void Recover(const Trap& trap, const char* during) {
    pending_keys_.clear();  // those inputs died with the instance
    if (!Record(trap, during)) return;
    RunError ignored;
    if (!Start(ignored)) stopped_ = true;
    // Like a device, let the new instance come up before the next input.
    restarted_ = true;
  }

  // One frame at the virtual time of its number.
  bool Frame() {
    TraceScope slice(tracer_.get(), "frame " + std::to_string(report_.frames + 1), "frame");
    FrameOutcome frame = runner_.Frame(report_.frames * kFrameMs);
    Instance& instance = runner_.instance();
    ++report_.frames;
    if (report_.marked_good_frame < 0 && runner_.services().marked_good()) report_.marked_good_frame = report_.frames;
    if (tracer_) ShowInTrace(slice.event(), frame.submitted);
    report_.frame_ms.push_back(frame.ms);
    report_.instructions.push_back(frame.instructions);
    report_.peak_memory = std::max<uint64_t>(report_.peak_memory, instance.Memory().size());
    report_.workers = std::max(report_.workers, instance.WorkerCount());
    if (first_frame_pending_) {
      first_frame_pending_ = !AddFirstFrame(report_.startup, frame.ms, frame.instructions, frame.submitted);
    }
    if (frame.submitted) {
      ++report_.draw_lists;
      for (const PendingKey& key : pending_keys_) {
        report_.latency_ms.push_back(MsSince(key.time));
        report_.input_instructions.push_back(instance.InstructionsExecuted() - key.instructions);
        report_.input_keys.push_back(key.name);
      }
      pending_keys_.clear();
    }
    if (frame.trapped) {
      Recover(frame.trap, frame.during);
      return false;
    }
    return frame.wants_more;
  }

  void RunFrames(int count, bool until_idle) {
    // Ctrl-C ends the run between frames (the caller exits with 130).
    for (int i = 0; i < count && !stopped_ && !InterruptRequested(); ++i) {
      bool wants_more = Frame();
      if (until_idle && !wants_more && !runner_.services().FetchesPending()) break;
    }
  }

  void Perform(const Step& step, RunError& error) {
    if (first_step_frame_ < 0) first_step_frame_ = report_.frames;
    if (restarted_) {
      restarted_ = false;
      RunFrames(kSettleFrames, /*until_idle=*/true);
    }
    switch (step.kind) {
      case Step::Kind::kKey: {
        pending_keys_.push_back({Clock::now(), runner_.instance().InstructionsExecuted(), step.text});
        std::optional<TraceScope> slice;
        if (tracer_) TraceKey(pending_keys_.back(), slice);
        CallOutcome outcome = runner_.Key(step.key);
        slice.reset();
        if (outcome.trapped) {
          pending_keys_.clear();
          Recover(outcome.trap, host_abi::kExportInput.name.data());
          return;
        }
        RunFrames(kKeyFrames, /*until_idle=*/true);
        return;
      }
      case Step::Kind::kWait: RunFrames(static_cast<int>(std::ceil(step.wait_ms / kFrameMs)), false); return;
      case Step::Kind::kScreenshot: Screenshot(step.path, error); return;
      case Step::Kind::kExpect: Check(step); return;
    }
  }

  // An expect step: what the app shows and did so far, checked now.
  void Check(const Step& step) {
    const HostServices& services = runner_.services();
    ExpectContext context;
    context.frame = services.last_frame();
    context.images = &services.images();
    context.font = &font_;
    context.width = options_.width;
    context.height = options_.height;
    if (step.expect.focused_text) ReadFocus(context);
    context.traps = report_.traps.size();
    if (!report_.traps.empty()) {
      const TrapRecord& t = report_.traps.front();
      context.first_trap = t.kind + " in " + t.during + " at frame " + std::to_string(t.frame);
    }
    // Frames since the first step; start-up has its own figures.
    size_t from = static_cast<size_t>(first_step_frame_);
    if (from >= report_.frame_ms.size()) from = 0;
    context.frame_ms.assign(report_.frame_ms.begin() + static_cast<ptrdiff_t>(from), report_.frame_ms.end());
    report_.expects.push_back(CheckExpect(step.expect, step.line, context));
  }

  // The focus as ws_state_info names it (builds with hot reload support).
  void ReadFocus(ExpectContext& context) {
    if (!runner_.has_instance()) {
      context.focus_unknown = "the app is not running";
      return;
    }
    StateInfoOutcome info = ReadStateInfo(runner_.instance());
    if (info.trap) {
      context.focus_unknown = "the app trapped while naming its focus";
      Recover(*info.trap, host_abi::kExportStateInfo.name.data());
    } else if (!info.info) {
      context.focus_unknown = "the app does not name its focus (a build without hot_reload, such as release; "
                              "test a debug build)";
    } else {
      context.focus = info.info->focus;
    }
  }

  // Expect steps the run never reached (the app kept trapping, or stopped)
  // fail: a scenario cannot pass on checks it did not make.
  void FailUnreachedExpects() {
    size_t seen = 0;
    for (const Step& step : options_.steps) {
      if (step.kind != Step::Kind::kExpect || seen++ < report_.expects.size()) continue;
      ExpectRecord record;
      record.line = step.line;
      record.failures.push_back({"reached", "the run stopped before this step: the app trapped " +
                                                std::to_string(report_.traps.size()) + " times"});
      report_.expects.push_back(std::move(record));
    }
  }

  bool Screenshot(const std::string& path, RunError& error) {
    Canvas canvas(options_.width, options_.height);
    const HostServices& services = runner_.services();
    if (const DrawList* frame = services.last_frame()) Rasterize(*frame, services.images(), font_, canvas);
    std::vector<uint8_t> png = EncodePng(canvas);
    Status written = WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
    if (!written) {
      error = {RunErrorKind::kOutputFailed, "cannot write the screenshot: " + written.error().message, {}};
      return false;
    }
    report_.screenshots.push_back(path);
    return true;
  }

  // The key's instant, and the ws_input slice (returned) where its flow
  // arrow to the frame that shows it starts.
  void TraceKey(PendingKey& key, std::optional<TraceScope>& slice) {
    key.trace_instant = tracer_->Instant("key " + key.name, "input");
    tracer_->event(key.trace_instant).texts["key"] = key.name;
    key.trace_flow = ++trace_flows_;
    slice.emplace(tracer_.get(), std::string(host_abi::kExportInput.name), "input");
    slice->event().texts["key"] = key.name;
    tracer_->FlowStart(key.trace_flow, "key " + key.name);
  }

  // Marks a frame's slice with its number, whether it drew, and links the
  // keys it shows (their instants name it; an arrow runs from each).
  void ShowInTrace(TraceEvent& frame, bool submitted) {
    frame.numbers["frame"] = report_.frames;
    frame.numbers["drew"] = submitted ? 1 : 0;
    if (!submitted || pending_keys_.empty()) return;
    std::string keys;
    for (const PendingKey& key : pending_keys_) {
      tracer_->event(key.trace_instant).numbers["frame"] = report_.frames;
      keys += (keys.empty() ? "" : ",") + key.name;
    }
    double frame_ts = frame.ts_us;  // FlowEnd may move `frame`
    frame.texts["keys"] = keys;
    for (const PendingKey& key : pending_keys_) tracer_->FlowEnd(key.trace_flow, "key " + key.name, frame_ts);
  }

  bool WriteTrace(RunError& error) {
    tracer_->CloseTo(0);
    std::string json = TraceJson(tracer_->events(), std::string("wasmship run (") + report_.engine + ")");
    PendingFile file(options_.trace_path);
    Status written = file.Write(json);
    if (written) written = file.Commit();
    if (!written) {
      error = {RunErrorKind::kOutputFailed,
               "cannot write the trace " + options_.trace_path + ": " + written.error().message,
               {"--trace names a file in an existing directory"}};
      return false;
    }
    return true;
  }

  const RunOptions& options_;
  Font& font_;
  std::ostream& err_;
  AppRunner runner_;
  std::unique_ptr<TraceRecorder> tracer_;
  std::optional<TraceScope> startup_;  // the startup slice, until the first frame
  uint64_t trace_flows_ = 0;
  std::vector<PendingKey> pending_keys_;
  RunReport report_;
  bool stopped_ = false;
  bool restarted_ = false;
  int first_step_frame_ = -1;  // the frame count when the first step ran
  bool first_frame_pending_ = false;  // startup waits for the first draw list
  int step_ = -1;                     // the step being performed
};

RunResult Fail(RunErrorKind kind, std::string message, std::vector<std::string> notes = {}) {
  RunResult result;
  result.error = {kind, std::move(message), std::move(notes)};
  return result;
}

}  // namespace

RunResult RunApp(const RunOptions& options, std::ostream& app_out, std::ostream& app_err) {
  Result<std::shared_ptr<const AppModule>, RunError> app = CheckAppModule(options.wasm, options.symbols);
  if (!app) {
    RunResult result;
    result.error = app.error();
    return result;
  }
  std::unique_ptr<Engine> engine = options.engine == "aot" ? MakeAotEngine() : MakeInterpEngine();
  if (std::optional<std::string> why = engine->CannotRun(options.wasm)) {
    return Fail(RunErrorKind::kEngineCannotRun,
                "cannot instantiate the app with the " + std::string(engine->name()) + " engine: " + *why);
  }
  Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
  if (!font) return Fail(RunErrorKind::kHostSetup, font.error().message, {"install the fonts-dejavu-core package"});
  return Session(options, std::move(*app), *engine, **font, app_out, app_err).Run();
}

}  // namespace ws::host
