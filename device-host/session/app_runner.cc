#include "device-host/session/app_runner.h"

#include <cxxabi.h>

#include <chrono>
#include <cstdlib>

#include "host-abi/host_abi.h"
#include "wasm-binary/host_abi_check.h"

namespace ws::host {
namespace {

using Clock = std::chrono::steady_clock;

std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && out ? std::string(out.get()) : name;
}

}  // namespace

Result<std::shared_ptr<const AppModule>, RunError> CheckAppModule(std::vector<uint8_t> wasm,
                                                                  std::map<uint32_t, std::string> symbols) {
  Result<wasm::Module> module = wasm::ReadModule(wasm);
  if (!module) return RunError{RunErrorKind::kNotAnApp, "not a wasm module: " + module.error().message, {}};
  wasm::AbiCheck check = wasm::CheckHostAbi(*module);
  if (!check.ok()) {
    std::vector<std::string> messages = check.Messages();
    RunError error{RunErrorKind::kNotAnApp, "the module is not a wasmship app: it " + messages.front(), {}};
    for (size_t i = 1; i < messages.size(); ++i) error.notes.push_back("it also " + messages[i]);
    return error;
  }
  auto app = std::make_shared<AppModule>();
  app->wasm = std::move(wasm);
  app->module = std::move(*module);
  app->symbols = std::move(symbols);
  return std::shared_ptr<const AppModule>(std::move(app));
}

AppRunner::AppRunner(std::shared_ptr<const AppModule> app, Engine& engine, Font& font, AppRunnerConfig config)
    : app_(std::move(app)), engine_(engine), config_(std::move(config)), services_(config_.host, font) {}

bool AddFirstFrame(StartupFigures& startup, double ms, uint64_t instructions, bool submitted) {
  startup.first_frame_ms += ms;
  startup.first_frame_instructions += instructions;
  ++startup.first_frame_calls;
  startup.total_ms = startup.instantiate_ms + startup.init_ms + startup.first_frame_ms;
  startup.instructions = startup.instantiate_instructions + startup.init_instructions + startup.first_frame_instructions;
  return submitted;
}

Status AppRunner::Prepare() { return engine_.Prepare(app_->wasm, config_.engine); }

StartOutcome AppRunner::Start() {
  services_.ForgetFetches();
  instance_.reset();  // the old instance's memory goes before the new one's arrives
  StartupFigures startup;
  TraceRecorder* tracer = services_.tracer();
  std::optional<TraceScope> instantiating(std::in_place, tracer, "instantiate", "startup");
  Clock::time_point start = Clock::now();
  Result<std::unique_ptr<Instance>> made = engine_.Instantiate(app_->wasm, services_.Imports(), config_.engine);
  startup.instantiate_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  instantiating.reset();
  if (!made) {
    return {false, std::nullopt,
            RunError{RunErrorKind::kHostSetup,
                     "cannot instantiate the app with the " + std::string(engine_.name()) +
                         " engine: " + made.error().message,
                     {}},
            {}};
  }
  instance_ = std::move(*made);
  startup.instantiate_instructions = instance_->InstructionsExecuted();
  start = Clock::now();
  CallOutcome abi = instance_->Call(ExportName(host_abi::kExportAbiVersion), {});
  if (!abi.trapped && (abi.results.empty() || abi.results[0].i32 != host_abi::kVersion)) {
    int32_t found = abi.results.empty() ? -1 : abi.results[0].i32;
    return {false, std::nullopt,
            RunError{RunErrorKind::kNotAnApp,
                     "the app speaks host ABI version " + std::to_string(found) + ", this host speaks " +
                         std::to_string(host_abi::kVersion),
                     {"rebuild the app with this wasmship"}},
            {}};
  }
  CallOutcome init = abi;
  if (!abi.trapped) {
    TraceScope slice(tracer, ExportName(host_abi::kExportInitialize), "startup");
    init = instance_->Call(ExportName(host_abi::kExportInitialize), {});
  }
  if (!init.trapped && tracer != nullptr && instance_->HasExport(ExportName(host_abi::kExportTraceEnable))) {
    Value on = Value::I32(1);
    init = instance_->Call(ExportName(host_abi::kExportTraceEnable), std::span(&on, 1));
  }
  if (!init.trapped) {
    TraceScope slice(tracer, ExportName(host_abi::kExportInit), "startup");
    Value size[2] = {Value::I32(config_.width), Value::I32(config_.height)};
    init = instance_->Call(ExportName(host_abi::kExportInit), size);
    if (!init.trapped && !init.results.empty() && init.results[0].i32 != 0) {
      return {false, std::nullopt,
              RunError{RunErrorKind::kAppFailedToStart,
                       "the app failed to start: " + ExportName(host_abi::kExportInit) + " returned " +
                           std::to_string(init.results[0].i32),
                       {}},
              {}};
    }
  }
  if (init.trapped) return {false, std::move(init.trap), std::nullopt, {}};
  startup.init_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  startup.init_instructions = instance_->InstructionsExecuted() - startup.instantiate_instructions;
  startup.total_ms = startup.instantiate_ms + startup.init_ms;
  startup.instructions = startup.instantiate_instructions + startup.init_instructions;
  return {true, std::nullopt, std::nullopt, startup};
}

FrameOutcome AppRunner::Frame(double now_ms) {
  FrameOutcome frame;
  services_.SetClock(now_ms);
  uint64_t instructions = instance_->InstructionsExecuted();
  uint64_t submitted = services_.submissions();
  Clock::time_point start = Clock::now();
  CallOutcome outcome = services_.DeliverFetches(*instance_);
  frame.during = host_abi::kExportFetchDone.name.data();
  if (!outcome.trapped) {
    Value now = Value::F64(services_.now_ms());
    outcome = instance_->Call(ExportName(host_abi::kExportFrame), std::span(&now, 1));
    frame.during = host_abi::kExportFrame.name.data();
  }
  frame.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  frame.instructions = instance_->InstructionsExecuted() - instructions;
  frame.submitted = services_.submissions() > submitted;
  frame.trapped = outcome.trapped;
  if (outcome.trapped) {
    frame.trap = std::move(outcome.trap);
  } else {
    frame.wants_more = !outcome.results.empty() && outcome.results[0].i32 != 0;
  }
  return frame;
}

CallOutcome AppRunner::Key(int32_t key) {
  Value args[2] = {Value::I32(host_abi::kInputKeyPress), Value::I32(key)};
  return instance_->Call(ExportName(host_abi::kExportInput), args);
}

// "Name (func N)" from the module's name section or the build's symbol map.
std::string AppRunner::FunctionLabel(uint32_t index) const {
  std::string suffix = " (func " + std::to_string(index) + ")";
  if (auto name = app_->module.function_names.find(index); name != app_->module.function_names.end()) {
    return Demangle(name->second) + suffix;
  }
  if (auto name = app_->symbols.find(index); name != app_->symbols.end()) return name->second + suffix;
  return "func[" + std::to_string(index) + "]";
}

TrapRecord AppRunner::Describe(const Trap& trap, const char* during, int frame) const {
  TrapRecord record{TrapKindName(trap.kind), trap.message, during, frame, {}, -1};
  for (uint32_t index : trap.stack) record.stack.push_back(FunctionLabel(index));
  return record;
}

void PrintTrap(std::ostream& err, const TrapRecord& record, const char* engine_name, const std::string& who) {
  err << "wasmship: " << who << " trapped in " << record.during << " at frame " << record.frame << ": "
      << record.kind;
  if (!record.message.empty()) err << " (" << record.message << ")";
  err << "\n";
  for (size_t i = 0; i < record.stack.size(); ++i) err << "    #" << i << " " << record.stack[i] << "\n";
  if (record.stack.empty()) {
    err << "    (no call stack from the " << engine_name << " engine; --engine interp shows it)\n";
  }
}

}  // namespace ws::host
