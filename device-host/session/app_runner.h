// One app module running in an engine, as both `wasmship run` (one-shot)
// and `wasmship dev` (a live session with hot reload) drive it: its host
// services, its current instance, starting an instance, one frame, one key
// press, and traps described with demangled stacks. The policies (how many
// restarts, which clock, what a trap means for the session) stay with the
// callers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "device-host/device_host.h"
#include "device-host/engine/engine.h"
#include "device-host/render/font.h"
#include "device-host/session/host_services.h"
#include "diagnostics/result.h"
#include "wasm-binary/module_reader.h"

namespace ws::host {

// A module that passed the host ABI check, with what trap stacks need.
struct AppModule {
  std::vector<uint8_t> wasm;
  wasm::Module module;                       // its function names, when it has a name section
  std::map<uint32_t, std::string> symbols;   // the build's symbol map, for stripped modules
};

// Reads `wasm` and checks it against the host ABI; the error (kNotAnApp)
// says what is wrong, as `wasmship run` reports it.
Result<std::shared_ptr<const AppModule>, RunError> CheckAppModule(std::vector<uint8_t> wasm,
                                                                  std::map<uint32_t, std::string> symbols);

struct AppRunnerConfig {
  EngineOptions engine;
  int width = 1280;
  int height = 720;
  HostConfig host;
};

// How Start() ended: running, a trap (the caller may try again), or an
// error no retry fixes (instantiation failed, another ABI version, ws_init
// returned nonzero).
struct StartOutcome {
  bool ok = false;
  std::optional<Trap> trap;
  std::optional<RunError> error;
  // Instantiate and init phases (first_frame stays for the caller: see AddFrame).
  StartupFigures startup;
};

// Adds one ws_frame to `startup` while it waits for its first draw list;
// returns true once the figures are complete.
bool AddFirstFrame(StartupFigures& startup, double ms, uint64_t instructions, bool submitted);

struct FrameOutcome {
  bool trapped = false;
  Trap trap;
  const char* during = nullptr;  // the export that trapped
  bool wants_more = false;       // ws_frame asked for another frame
  bool submitted = false;        // the app submitted a draw list
  double ms = 0;                 // wall time of fetch delivery and ws_frame
  uint64_t instructions = 0;     // interp: executed in this frame
};

class AppRunner {
 public:
  AppRunner(std::shared_ptr<const AppModule> app, Engine& engine, Font& font, AppRunnerConfig config);
  AppRunner(const AppRunner&) = delete;
  AppRunner& operator=(const AppRunner&) = delete;

  // What a device does once at install time (aot: compile into the cache),
  // so that Start() measures what it does at every start.
  Status Prepare();
  // A fresh instance in place of the current one (dropped first): _initialize,
  // the ABI version check, ws_init. A trap anywhere in it is reported as
  // during ws_init. The host services (images, last frame) stay.
  StartOutcome Start();
  // Fetch completions, then ws_frame at `now_ms` (the app's clock).
  FrameOutcome Frame(double now_ms);
  // A key press (ws_input).
  CallOutcome Key(int32_t key);

  // `trap` as reports show it: its kind, the export, the frame number and
  // the call stack with names from the module or the symbol map.
  TrapRecord Describe(const Trap& trap, const char* during, int frame) const;

  bool has_instance() const { return instance_ != nullptr; }
  Instance& instance() { return *instance_; }
  HostServices& services() { return services_; }
  const HostServices& services() const { return services_; }
  const std::shared_ptr<const AppModule>& app() const { return app_; }
  const char* engine_name() const { return engine_.name(); }

 private:
  std::string FunctionLabel(uint32_t index) const;

  std::shared_ptr<const AppModule> app_;
  Engine& engine_;
  AppRunnerConfig config_;
  HostServices services_;
  std::unique_ptr<Instance> instance_;
};

// Prints `record` to `err` as `wasmship run` does: "wasmship: <who> trapped
// in ws_frame at frame 12: unreachable (...)" and the stack, one line a frame.
void PrintTrap(std::ostream& err, const TrapRecord& record, const char* engine_name,
               const std::string& who = "the app");

// The name of a host ABI export as the engines call it.
inline std::string ExportName(const host_abi::Export& e) { return std::string(e.name); }

}  // namespace ws::host
