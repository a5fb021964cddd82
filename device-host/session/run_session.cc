// The run loop of `wasmship run`: one app, one engine, frames on a virtual
// clock (1/60 s each), input between frames, and a fresh instance after
// every trap, as on a device.
#include <cxxabi.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "device-host/device_host.h"
#include "device-host/engine/engine.h"
#include "device-host/session/host_services.h"
#include "device-host/render/png_codec.h"
#include "platform/atomic_file.h"
#include "platform/interrupt.h"
#include "host-abi/host_abi.h"
#include "wasm-binary/host_abi_check.h"
#include "wasm-binary/module_reader.h"

namespace ws::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kFrameMs = 1000.0 / 60.0;
constexpr int kSettleFrames = 120;   // after start: load assets, finish entry animations
constexpr int kKeyFrames = 60;       // after a key: until the app is idle, at most 1 s

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string Name(const host_abi::Export& e) { return std::string(e.name); }

std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && out ? std::string(out.get()) : name;
}

class Session {
 public:
  Session(const RunOptions& options, const wasm::Module& module, Engine& engine, Font& font, std::ostream& out,
          std::ostream& err)
      : options_(options),
        module_(module),
        engine_(engine),
        font_(font),
        err_(err),
        services_({options.assets_dir, &out, &err, 1}, font) {
    report_.engine = engine.name();
  }

  RunResult Run() {
    RunResult result;
    if (!Start(result.error)) {
      if (!result.error.message.empty()) return result;
      stopped_ = true;  // it kept trapping while starting: the report says so
    }
    if (!stopped_) RunFrames(kSettleFrames, /*until_idle=*/true);
    for (const Step& step : options_.steps) {
      if (stopped_ || InterruptRequested()) break;
      Perform(step, result.error);
      if (!result.error.message.empty()) return result;
    }
    if (!stopped_) RunFrames(kSettleFrames, /*until_idle=*/true);
    while (!stopped_ && !InterruptRequested() && report_.frames < options_.frames) RunFrames(1, false);
    if (!options_.screenshot.empty() && !Screenshot(options_.screenshot, result.error)) return result;
    report_.warnings = services_.warnings();
    result.ok = true;
    result.report = std::move(report_);
    return result;
  }

 private:
  // A new instance: _initialize, the ABI version check, ws_init.
  bool Start(RunError& error) {
    while (true) {
      services_.ForgetFetches();
      EngineOptions engine_options{options_.memory_limit, options_.instruction_budget, options_.watchdog_ms,
                                   options_.cache_dir};
      Result<std::unique_ptr<Instance>> made = engine_.Instantiate(options_.wasm, services_.Imports(), engine_options);
      if (!made) {
        error = {RunErrorKind::kHostSetup, "cannot instantiate the app with the " + std::string(engine_.name()) + " engine: " +
                        made.error().message, {}};
        return false;
      }
      instance_ = std::move(*made);
      CallOutcome abi = instance_->Call(Name(host_abi::kExportAbiVersion), {});
      if (!abi.trapped && (abi.results.empty() || abi.results[0].i32 != host_abi::kVersion)) {
        int32_t found = abi.results.empty() ? -1 : abi.results[0].i32;
        error = {RunErrorKind::kNotAnApp, "the app speaks host ABI version " + std::to_string(found) +
                                              ", this host speaks " + std::to_string(host_abi::kVersion),
                 {"rebuild the app with this wasmship"}};
        return false;
      }
      CallOutcome init = abi.trapped ? abi : instance_->Call(Name(host_abi::kExportInitialize), {});
      if (!init.trapped) {
        Value size[2] = {Value::I32(options_.width), Value::I32(options_.height)};
        init = instance_->Call(Name(host_abi::kExportInit), size);
        if (!init.trapped && !init.results.empty() && init.results[0].i32 != 0) {
          error = {RunErrorKind::kAppFailedToStart, "the app failed to start: " + Name(host_abi::kExportInit) +
                                                        " returned " + std::to_string(init.results[0].i32),
                   {}};
          return false;
        }
      }
      if (!init.trapped) return true;
      if (!Record(init.trap, host_abi::kExportInit.name.data())) return false;
    }
  }

  // "Name (func N)" from the module's name section or the build's symbol map.
  std::string FunctionLabel(uint32_t index) const {
    std::string suffix = " (func " + std::to_string(index) + ")";
    if (auto name = module_.function_names.find(index); name != module_.function_names.end()) {
      return Demangle(name->second) + suffix;
    }
    if (auto name = options_.symbols.find(index); name != options_.symbols.end()) return name->second + suffix;
    return "func[" + std::to_string(index) + "]";
  }

  // Records a trap; returns false when the app keeps trapping and the run stops.
  bool Record(const Trap& trap, const char* during) {
    TrapRecord record{TrapKindName(trap.kind), trap.message, during, report_.frames, {}};
    for (uint32_t index : trap.stack) record.stack.push_back(FunctionLabel(index));
    err_ << "wasmship: the app trapped in " << during << " at frame " << record.frame << ": " << record.kind;
    if (!trap.message.empty()) err_ << " (" << trap.message << ")";
    err_ << "\n";
    for (size_t i = 0; i < record.stack.size(); ++i) err_ << "    #" << i << " " << record.stack[i] << "\n";
    if (record.stack.empty()) err_ << "    (no call stack from the " << engine_.name() << " engine; --engine interp shows it)\n";
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

  // One frame: fetch completions, then ws_frame at the virtual time.
  bool Frame() {
    services_.SetClock(report_.frames * kFrameMs);
    uint64_t instructions = instance_->InstructionsExecuted();
    uint64_t submitted = services_.submissions();
    Clock::time_point start = Clock::now();
    CallOutcome outcome = services_.DeliverFetches(*instance_);
    const char* during = host_abi::kExportFetchDone.name.data();
    if (!outcome.trapped) {
      Value now = Value::F64(services_.now_ms());
      outcome = instance_->Call(Name(host_abi::kExportFrame), std::span(&now, 1));
      during = host_abi::kExportFrame.name.data();
    }
    double ms = MsSince(start);
    ++report_.frames;
    report_.frame_ms.push_back(ms);
    report_.instructions.push_back(instance_->InstructionsExecuted() - instructions);
    report_.peak_memory = std::max<uint64_t>(report_.peak_memory, instance_->Memory().size());
    report_.workers = std::max(report_.workers, instance_->WorkerCount());
    if (services_.submissions() > submitted) {
      ++report_.draw_lists;
      for (const PendingKey& key : pending_keys_) {
        report_.latency_ms.push_back(MsSince(key.time));
        report_.input_instructions.push_back(instance_->InstructionsExecuted() - key.instructions);
        report_.input_keys.push_back(key.name);
      }
      pending_keys_.clear();
    }
    if (outcome.trapped) {
      Recover(outcome.trap, during);
      return false;
    }
    return !outcome.results.empty() && outcome.results[0].i32 != 0;
  }

  void RunFrames(int count, bool until_idle) {
    // Ctrl-C ends the run between frames (the caller exits with 130).
    for (int i = 0; i < count && !stopped_ && !InterruptRequested(); ++i) {
      bool wants_more = Frame();
      if (until_idle && !wants_more && !services_.FetchesPending()) break;
    }
  }

  void Perform(const Step& step, RunError& error) {
    if (restarted_) {
      restarted_ = false;
      RunFrames(kSettleFrames, /*until_idle=*/true);
    }
    switch (step.kind) {
      case Step::Kind::kKey: {
        pending_keys_.push_back({Clock::now(), instance_->InstructionsExecuted(), step.text});
        Value args[2] = {Value::I32(host_abi::kInputKeyPress), Value::I32(step.key)};
        CallOutcome outcome = instance_->Call(Name(host_abi::kExportInput), args);
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
    }
  }

  bool Screenshot(const std::string& path, RunError& error) {
    Canvas canvas(options_.width, options_.height);
    if (const DrawList* frame = services_.last_frame()) Rasterize(*frame, services_.images(), font_, canvas);
    std::vector<uint8_t> png = EncodePng(canvas);
    Status written = WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
    if (!written) {
      error = {RunErrorKind::kOutputFailed, "cannot write the screenshot: " + written.error().message, {}};
      return false;
    }
    report_.screenshots.push_back(path);
    return true;
  }

  const RunOptions& options_;
  const wasm::Module& module_;
  Engine& engine_;
  Font& font_;
  std::ostream& err_;
  HostServices services_;
  std::unique_ptr<Instance> instance_;
  struct PendingKey {
    Clock::time_point time;
    uint64_t instructions = 0;
    std::string name;
  };
  std::vector<PendingKey> pending_keys_;
  RunReport report_;
  bool stopped_ = false;
  bool restarted_ = false;
};

RunResult Fail(RunErrorKind kind, std::string message, std::vector<std::string> notes = {}) {
  RunResult result;
  result.error = {kind, std::move(message), std::move(notes)};
  return result;
}

}  // namespace

RunResult RunApp(const RunOptions& options, std::ostream& app_out, std::ostream& app_err) {
  Result<wasm::Module> module = wasm::ReadModule(options.wasm);
  if (!module) return Fail(RunErrorKind::kNotAnApp, "not a wasm module: " + module.error().message);
  wasm::AbiCheck check = wasm::CheckHostAbi(*module);
  if (!check.ok()) {
    RunResult result = Fail(RunErrorKind::kNotAnApp, "the module is not a wasmship app: it " + check.Messages().front());
    for (size_t i = 1; i < check.Messages().size(); ++i) result.error.notes.push_back("it also " + check.Messages()[i]);
    return result;
  }
  std::unique_ptr<Engine> engine = options.engine == "aot" ? MakeAotEngine() : MakeInterpEngine();
  if (std::optional<std::string> why = engine->CannotRun(options.wasm)) {
    return Fail(RunErrorKind::kEngineCannotRun,
                "cannot instantiate the app with the " + std::string(engine->name()) + " engine: " + *why);
  }
  Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
  if (!font) return Fail(RunErrorKind::kHostSetup, font.error().message, {"install the fonts-dejavu-core package"});
  return Session(options, *module, *engine, **font, app_out, app_err).Run();
}

}  // namespace ws::host
