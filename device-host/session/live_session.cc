// The live session of `wasmship dev` (device-host/live_session.h). One
// AppRunner is current; a reload builds a candidate runner beside it (its
// own instance and host services), and only a candidate that started,
// settled and took the saved state replaces it. Anything else drops the
// candidate, so the running app, its last frame and its images are never
// touched by a failed reload.
#include "device-host/live_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <variant>

#include "device-host/engine/engine.h"
#include "device-host/render/font.h"
#include "device-host/render/png_codec.h"
#include "device-host/render/rasterizer.h"
#include "device-host/session/app_runner.h"
#include "device-host/session/hot_reload.h"
#include "host-abi/host_abi.h"
#include "platform/atomic_file.h"
#include "platform/elapsed.h"
#include "platform/interrupt.h"

namespace ws::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kFrameMs = 1000.0 / 60.0;
constexpr double kSettleMs = 2000;       // the longest settle: the interface's default
constexpr double kStatsWindowMs = 1000;  // Stats() looks at the last second of frames
constexpr double kHealthyMs = 1000;      // this long without a trap ends a run of restarts

int FramesIn(double ms) { return std::max(1, static_cast<int>(std::ceil(ms / kFrameMs))); }

std::string TrapText(const TrapRecord& record) {
  std::string text = "the new build trapped in " + record.during + ": " + record.kind;
  if (!record.message.empty()) text += " (" + record.message + ")";
  return text;
}

class Live final : public LiveSession {
 public:
  Live(const LiveOptions& options, std::unique_ptr<Engine> engine, std::unique_ptr<Font> font, std::ostream& out,
       std::ostream& err)
      : options_(options), engine_(std::move(engine)), font_(std::move(font)), out_(out), err_(err) {}

  // The first start: a RunError when the app cannot start at all; an app
  // that keeps trapping leaves the session stopped (a reload may revive it).
  std::optional<RunError> Begin(std::shared_ptr<const AppModule> app) {
    runner_ = NewRunner(std::move(app));
    if (std::optional<RunError> error = StartCurrent()) return error;
    if (running_) Settle(kSettleMs);
    return std::nullopt;
  }

  void Key(int32_t key) override {
    if (running_) keys_.push_back({key, Clock::now()});
  }

  bool Frame(double now_ms) override {
    if (!running_) return false;
    // The app's clock never goes back: after virtual frames (a reload
    // settling) it runs ahead of the caller's clock by an offset.
    double at = std::max(now_ms + offset_ms_, clock_ms_);
    offset_ms_ = at - now_ms;
    return Step(at);
  }

  void Advance(double ms) override {
    for (int i = FramesIn(ms); i > 0 && running_ && !InterruptRequested(); --i) Step(clock_ms_ + kFrameMs);
  }

  void Settle(double max_ms) override {
    for (int i = FramesIn(max_ms); i > 0 && running_ && !InterruptRequested(); --i) {
      if (!Step(clock_ms_ + kFrameMs)) break;
    }
  }

  ReloadOutcome Reload(std::vector<uint8_t> wasm, std::map<uint32_t, std::string> symbols) override {
    Result<std::shared_ptr<const AppModule>, RunError> app = CheckAppModule(std::move(wasm), std::move(symbols));
    if (!app) return Failed(app.error().message);
    if (std::optional<std::string> why = engine_->CannotRun((*app)->wasm)) {
      return Failed("cannot instantiate the app with the " + std::string(engine_->name()) + " engine: " + *why);
    }
    return Swap(std::move(*app), /*keep_state=*/true);
  }

  ReloadOutcome Restart() override { return Swap(runner_->app(), /*keep_state=*/false); }

  ReloadOutcome AssetChanged(const std::string& url) override {
    std::string path = url.starts_with("./") ? url.substr(2) : url;
    Result<bool> image = runner_->services().ReloadImage(path);
    if (!image) {
      ReloadOutcome outcome;
      outcome.message = image.error().message + "; the app keeps the previous image";
      err_ << "wasmship: " << outcome.message << "\n";
      return outcome;
    }
    if (!*image) return Swap(runner_->app(), /*keep_state=*/true);
    // The app keeps its image id: its last draw list shows the new pixels.
    new_frame_ = true;
    ReloadOutcome outcome;
    outcome.ok = true;
    outcome.state_kept = true;
    outcome.message = "image '" + path + "' reloaded";
    return outcome;
  }

  void Render(Canvas& canvas) override {
    Draw(canvas);
    new_frame_ = false;
  }

  Status Screenshot(const std::string& path) override {
    Canvas canvas(options_.width, options_.height);
    Draw(canvas);
    std::vector<uint8_t> png = EncodePng(canvas);
    Status written = WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
    if (!written) return Error{"cannot write the screenshot: " + written.error().message};
    return {};
  }

  bool HasNewFrame() const override { return new_frame_; }
  LiveStats Stats() override;
  const std::vector<TrapRecord>& traps() const override { return traps_; }
  bool running() const override { return running_; }

 private:
  struct QueuedKey {
    int32_t key = 0;
    Clock::time_point time;
  };
  struct FrameSample {
    double at_ms = 0;  // the app's clock
    double ms = 0;
    uint64_t instructions = 0;
  };

  std::unique_ptr<AppRunner> NewRunner(std::shared_ptr<const AppModule> app) const {
    AppRunnerConfig config{{options_.memory_limit, 0, options_.watchdog_ms, options_.cache_dir},
                           options_.width,
                           options_.height,
                           {options_.assets_dir, &out_, &err_, 1}};
    return std::make_unique<AppRunner>(std::move(app), *engine_, *font_, std::move(config));
  }

  bool Step(double at_ms);
  void Sample(const FrameOutcome& frame, double at_ms);
  void AddSample(const FrameSample& sample);
  std::optional<RunError> StartCurrent();
  bool MayRestart();
  void RecordTrap(const Trap& trap, const char* during);
  void Recover(const Trap& trap, const char* during);
  // `startup` (when not null) gets the frames until the first draw list.
  std::optional<TrapRecord> SettleCandidate(AppRunner& next, double& clock_ms, std::vector<FrameSample>& samples,
                                            StartupFigures* startup = nullptr);
  // A new module started beside the running one, ready to replace it.
  struct Candidate {
    std::unique_ptr<AppRunner> runner;
    double clock_ms = 0;  // its clock after settling
    std::vector<FrameSample> samples;
    bool kept = false;
    std::string why_not;  // why the state was not restored, when it was not
    std::optional<StateInfo> info;
    StartupFigures startup;
  };
  std::variant<Candidate, ReloadOutcome> Prepare(std::shared_ptr<const AppModule> app,
                                                 const std::optional<std::vector<uint8_t>>& saved);
  ReloadOutcome Swap(std::shared_ptr<const AppModule> app, bool keep_state);
  std::optional<std::vector<uint8_t>> SaveRunningState(std::string& why_not);
  ReloadOutcome CandidateTrapped(const AppRunner& next, const Trap& trap, const char* during);
  ReloadOutcome NewBuildTrapped(TrapRecord record, const char* engine_name);
  ReloadOutcome Failed(std::string message) const {
    err_ << "wasmship: the new build cannot run: " << message << "; keeping the running app\n";
    ReloadOutcome outcome;
    outcome.message = std::move(message);
    return outcome;
  }
  void Draw(Canvas& canvas) const {
    const HostServices& services = runner_->services();
    if (const DrawList* frame = services.last_frame()) {
      Rasterize(*frame, services.images(), *font_, canvas);
      return;
    }
    for (size_t i = 0; i < canvas.rgba.size(); ++i) canvas.rgba[i] = i % 4 == 3 ? 255 : 0;  // opaque black
  }

  LiveOptions options_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Font> font_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<AppRunner> runner_;  // never null; its instance is, once the app was given up on
  bool running_ = false;
  double clock_ms_ = 0;   // the app's clock at the last frame
  double offset_ms_ = 0;  // the app's clock minus the caller's (Frame)
  std::deque<QueuedKey> keys_;
  std::optional<Clock::time_point> unshown_key_;  // the last key press no frame has shown yet
  double last_latency_ms_ = 0;
  std::deque<FrameSample> samples_;
  int frames_ = 0;
  int reloads_ = 0;
  int restarts_in_a_row_ = 0;
  double restarted_at_ms_ = 0;
  bool new_frame_ = false;
  std::vector<TrapRecord> traps_;
  StartupFigures startup_;            // the running instance's
  bool first_frame_pending_ = false;  // startup_ waits for its first draw list
};

// Keys queued since the last frame, then one frame at `at_ms`. Returns
// whether the app wants more frames soon (animating, fetching, input).
bool Live::Step(double at_ms) {
  clock_ms_ = at_ms;
  while (!keys_.empty()) {
    QueuedKey key = keys_.front();
    keys_.pop_front();
    unshown_key_ = key.time;
    CallOutcome outcome = runner_->Key(key.key);
    if (outcome.trapped) {
      Recover(outcome.trap, host_abi::kExportInput.name.data());
      return running_;
    }
  }
  FrameOutcome frame = runner_->Frame(at_ms);
  Sample(frame, at_ms);
  if (frame.trapped) {
    Recover(frame.trap, frame.during);
    return running_;  // let the new instance come up
  }
  if (restarts_in_a_row_ > 0 && at_ms - restarted_at_ms_ >= kHealthyMs) restarts_in_a_row_ = 0;
  return frame.wants_more || runner_->services().FetchesPending() || !keys_.empty();
}

void Live::AddSample(const FrameSample& sample) {
  ++frames_;
  samples_.push_back(sample);
  while (!samples_.empty() && samples_.front().at_ms <= sample.at_ms - kStatsWindowMs) samples_.pop_front();
}

void Live::Sample(const FrameOutcome& frame, double at_ms) {
  AddSample({at_ms, frame.ms, frame.instructions});
  if (first_frame_pending_) {
    first_frame_pending_ = !frame.trapped && !AddFirstFrame(startup_, frame.ms, frame.instructions, frame.submitted);
  }
  if (!frame.submitted) return;
  new_frame_ = true;
  if (unshown_key_) {
    last_latency_ms_ = MsSince(*unshown_key_);
    unshown_key_.reset();
  }
}

// A fresh instance of the current module, restarted after traps in ws_init
// until it runs or has trapped max_restarts times in a row.
std::optional<RunError> Live::StartCurrent() {
  while (true) {
    StartOutcome started = runner_->Start();
    if (started.ok) {
      running_ = true;
      restarted_at_ms_ = clock_ms_;
      startup_ = started.startup;
      startup_.measured = true;
      first_frame_pending_ = true;
      return std::nullopt;
    }
    running_ = false;
    if (started.error) return started.error;
    RecordTrap(*started.trap, host_abi::kExportInit.name.data());
    if (!MayRestart()) return std::nullopt;
  }
}

bool Live::MayRestart() {
  if (restarts_in_a_row_ >= options_.max_restarts) {
    err_ << "wasmship: the app trapped " << restarts_in_a_row_ + 1
         << " times in a row; giving up until the next reload\n";
    running_ = false;
    return false;
  }
  ++restarts_in_a_row_;
  err_ << "wasmship: restarting the app\n";
  return true;
}

void Live::RecordTrap(const Trap& trap, const char* during) {
  TrapRecord record = runner_->Describe(trap, during, frames_);
  PrintTrap(err_, record, runner_->engine_name());
  traps_.push_back(std::move(record));
}

// A trap while the app runs: as on a device, a fresh instance of the same module.
void Live::Recover(const Trap& trap, const char* during) {
  keys_.clear();  // those inputs died with the instance
  unshown_key_.reset();
  RecordTrap(trap, during);
  if (!MayRestart()) return;
  if (std::optional<RunError> error = StartCurrent()) {
    err_ << "wasmship: " << error->message << "\n";
  }
}

LiveStats Live::Stats() {
  LiveStats stats;
  std::vector<double> ms, instructions;
  for (const FrameSample& sample : samples_) {
    ms.push_back(sample.ms);
    instructions.push_back(static_cast<double>(sample.instructions));
  }
  stats.frame_ms_p50 = Percentile(ms, 50);
  stats.frame_ms_p99 = Percentile(ms, 99);
  stats.instructions_per_frame = static_cast<uint64_t>(Percentile(instructions, 50));
  stats.input_latency_ms = last_latency_ms_;
  stats.reloads = reloads_;
  stats.frames = frames_;
  stats.startup = startup_;
  if (!running_ || !runner_->has_instance()) return stats;
  stats.memory_bytes = runner_->instance().Memory().size();
  StateInfoOutcome info = ReadStateInfo(runner_->instance());
  if (info.trap) {
    Recover(*info.trap, host_abi::kExportStateInfo.name.data());
  } else if (info.info) {
    stats.signals = info.info->signals;
    stats.focus = info.info->focus;
  }
  return stats;
}

// Frames of a candidate on the virtual clock until it is idle (as Settle
// does for the current app); the trap if it trapped.
std::optional<TrapRecord> Live::SettleCandidate(AppRunner& next, double& clock_ms, std::vector<FrameSample>& samples,
                                                StartupFigures* startup) {
  for (int i = FramesIn(kSettleMs); i > 0 && !InterruptRequested(); --i) {
    clock_ms += kFrameMs;
    FrameOutcome frame = next.Frame(clock_ms);
    samples.push_back({clock_ms, frame.ms, frame.instructions});
    if (startup != nullptr && !frame.trapped && AddFirstFrame(*startup, frame.ms, frame.instructions, frame.submitted)) {
      startup = nullptr;
    }
    if (frame.trapped) return next.Describe(frame.trap, frame.during, frames_ + static_cast<int>(samples.size()));
    if (!frame.wants_more && !next.services().FetchesPending()) break;
  }
  return std::nullopt;
}

// The running app's state as bytes, or nullopt with `why_not`.
std::optional<std::vector<uint8_t>> Live::SaveRunningState(std::string& why_not) {
  if (!running_ || !runner_->has_instance()) {
    why_not = "the app had stopped";
    return std::nullopt;
  }
  if (std::optional<std::string> no = NoHotReload(runner_->instance())) {
    why_not = *no;
    return std::nullopt;
  }
  SavedState saved = SaveState(runner_->instance());
  if (saved.trap) {
    why_not = "the app trapped saving its state";
    Recover(*saved.trap, host_abi::kExportStateSave.name.data());  // it must not stay half-broken
    return std::nullopt;
  }
  if (!saved.bytes) why_not = saved.problem;
  return std::move(saved.bytes);
}

ReloadOutcome Live::CandidateTrapped(const AppRunner& next, const Trap& trap, const char* during) {
  return NewBuildTrapped(next.Describe(trap, during, frames_), next.engine_name());
}

ReloadOutcome Live::NewBuildTrapped(TrapRecord record, const char* engine_name) {
  PrintTrap(err_, record, engine_name, "the new build");
  err_ << (running_ ? "wasmship: keeping the running app\n" : "wasmship: the app stays stopped\n");
  ReloadOutcome outcome;
  outcome.message = TrapText(record);
  outcome.trap = std::move(record);
  return outcome;
}

// Starts `app` beside the running one and moves `saved` over when both
// speak the hot reload extension: a candidate ready to replace the running
// app, or the failed outcome when any step failed.
std::variant<Live::Candidate, ReloadOutcome> Live::Prepare(std::shared_ptr<const AppModule> app,
                                                           const std::optional<std::vector<uint8_t>>& saved) {
  Candidate next;
  next.runner = NewRunner(std::move(app));
  next.clock_ms = clock_ms_;
  AppRunner& runner = *next.runner;
  StartOutcome started = runner.Start();
  if (started.error) return Failed(started.error->message);
  if (started.trap) return CandidateTrapped(runner, *started.trap, host_abi::kExportInit.name.data());
  next.startup = started.startup;
  next.startup.measured = true;
  if (std::optional<TrapRecord> trap = SettleCandidate(runner, next.clock_ms, next.samples, &next.startup)) {
    return NewBuildTrapped(std::move(*trap), runner.engine_name());
  }
  if (saved) {
    if (std::optional<std::string> no = NoHotReload(runner.instance())) {
      next.why_not = "the new build: " + *no;
    } else {
      RestoredState restored = RestoreState(runner.instance(), *saved);
      if (restored.trap) return CandidateTrapped(runner, *restored.trap, restored.during);
      next.kept = restored.ok;
      next.why_not = restored.problem;
      // Restored signals rebuild their pages; focus comes back after the first idle frame.
      if (std::optional<TrapRecord> trap = SettleCandidate(runner, next.clock_ms, next.samples)) {
        return NewBuildTrapped(std::move(*trap), runner.engine_name());
      }
    }
  }
  StateInfoOutcome info = ReadStateInfo(runner.instance());
  if (info.trap) return CandidateTrapped(runner, *info.trap, host_abi::kExportStateInfo.name.data());
  next.info = info.info;
  return next;
}

// A reload: the running app's state saved, a candidate prepared, and the
// running app replaced only when the candidate is ready.
ReloadOutcome Live::Swap(std::shared_ptr<const AppModule> app, bool keep_state) {
  Clock::time_point start = Clock::now();
  std::string why_not;
  std::optional<std::vector<uint8_t>> saved;
  if (keep_state) saved = SaveRunningState(why_not);
  std::variant<Candidate, ReloadOutcome> prepared = Prepare(std::move(app), saved);
  if (ReloadOutcome* failed = std::get_if<ReloadOutcome>(&prepared)) return std::move(*failed);
  Candidate& next = std::get<Candidate>(prepared);

  runner_ = std::move(next.runner);  // the old instance, its engine module and host services go here
  running_ = true;
  restarts_in_a_row_ = 0;
  restarted_at_ms_ = clock_ms_ = next.clock_ms;
  for (const FrameSample& sample : next.samples) AddSample(sample);
  new_frame_ = true;
  ++reloads_;
  startup_ = next.startup;
  first_frame_pending_ = false;

  ReloadOutcome outcome;
  outcome.ok = true;
  outcome.state_kept = next.kept;
  if (next.info) {
    outcome.kept_signals = next.info->kept;
    outcome.reset_signals = next.info->reset;
    outcome.focus = next.info->focus;
  }
  if (!next.why_not.empty()) why_not = next.why_not;
  if (!next.kept) outcome.message = keep_state ? why_not + ": full restart" : "full restart";
  outcome.swap_ms = MsSince(start);
  outcome.startup = startup_;
  return outcome;
}

}  // namespace

Result<std::unique_ptr<LiveSession>, RunError> LiveSession::Start(const LiveOptions& options,
                                                                  std::vector<uint8_t> wasm,
                                                                  std::map<uint32_t, std::string> symbols,
                                                                  std::ostream& app_out, std::ostream& app_err) {
  Result<std::shared_ptr<const AppModule>, RunError> app = CheckAppModule(std::move(wasm), std::move(symbols));
  if (!app) return app.error();
  if (options.engine != "interp" && options.engine != "aot") {
    return RunError{RunErrorKind::kHostSetup, "unknown engine '" + options.engine + "'", {"use interp or aot"}};
  }
  std::unique_ptr<Engine> engine = options.engine == "aot" ? MakeAotEngine() : MakeInterpEngine();
  if (std::optional<std::string> why = engine->CannotRun((*app)->wasm)) {
    return RunError{RunErrorKind::kEngineCannotRun,
                    "cannot instantiate the app with the " + std::string(engine->name()) + " engine: " + *why,
                    {}};
  }
  Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
  if (!font) return RunError{RunErrorKind::kHostSetup, font.error().message, {"install the fonts-dejavu-core package"}};
  auto live = std::make_unique<Live>(options, std::move(engine), std::move(*font), app_out, app_err);
  if (std::optional<RunError> error = live->Begin(std::move(*app))) return *error;
  return std::unique_ptr<LiveSession>(std::move(live));
}

}  // namespace ws::host
