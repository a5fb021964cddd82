// The heart of `wasmship dev`, shared by the window and headless modes:
// the running app (a LiveSession), the file watcher, and rebuilds on a
// background thread. A change under the assets directory reloads those
// assets; any other change rebuilds, and a good build is swapped into the
// running app (its state kept). A failed build or a new module that traps
// while starting leaves the last good app running.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/dev_build.h"
#include "cli/dev_watch.h"
#include "device-host/live_session.h"

namespace ws {

struct DevSetup {
  std::string root;  // the project directory (the current directory)
  DevBuildRequest build;
  host::LiveOptions live;
  bool engine_forced = false;  // --engine given: no fallback from aot to interp
  std::ostream* app_out = nullptr;
  std::ostream* app_err = nullptr;
};

// One reload (or a failed attempt): what the terminal line and the
// headless `reload` event say.
struct ReloadReport {
  bool ok = false;
  bool unchanged = false;  // the build made the module already running: nothing swapped
  bool restart = false;    // F5: the same module from scratch
  double ms = 0;           // build start → the new app settled
  StepTimes steps;
  double swap_ms = 0;
  bool state_kept = false;
  int kept_signals = 0;
  int reset_signals = 0;
  std::string focus;
  std::string message;                   // why it failed, or why the state was not kept
  std::vector<Diagnostic> errors;        // a failed build's, with file:line:col
  std::optional<host::TrapRecord> trap;  // the new module trapped while starting
  std::vector<std::string> assets;       // an asset reload: these URLs, no build
  std::vector<std::string> changed;      // the files that started it, relative to the project
  host::StartupFigures startup;          // the new instance's start (measured: a new instance ran)
};

class DevEvents {
 public:
  virtual ~DevEvents() = default;
  virtual void Reloaded(const ReloadReport& report) = 0;
  // The running app trapped (the session restarted it).
  virtual void Trapped(const host::TrapRecord& trap) = 0;
  // Anything else worth a line on stderr.
  virtual void Note(const std::string& text) = 0;
};

class DevLoop {
 public:
  DevLoop(const GlobalOptions& global, DevSetup setup, DevEvents& events,
          std::unique_ptr<FileWatcher> watcher);
  ~DevLoop();  // waits for a build still running
  DevLoop(const DevLoop&) = delete;
  DevLoop& operator=(const DevLoop&) = delete;

  // Starts the app from the first build; an error when it cannot run at
  // all. An app that fails in ws_init leaves the loop running without an
  // app until a build that starts.
  std::optional<host::RunError> Start(DevBuildResult first);

  // Descriptors to poll() for: the watcher's and the build thread's.
  std::vector<int> fds() const;
  // Handles settled changes and a finished build. Blocks at most for the
  // watcher's debounce when a change has just come in.
  void Service();
  // Reports traps of the running app since the last call (after frames).
  void CheckTraps();
  // F5: the running module from scratch.
  void Restart();
  // A file dev itself wrote under the project (a screenshot): not a change.
  void Skip(const std::string& path) { skip_.insert(path); }

  host::LiveSession* session() { return session_.get(); }
  bool building() const { return build_thread_.joinable(); }
  bool busy() const { return building() || !pending_.empty(); }
  // Reload events so far (ok or not): `wait-reload` waits for this to grow.
  int reload_events() const { return reload_events_; }
  // What the window shows over the last good frame while the last build
  // (or the new module) failed; empty when all is well.
  const std::vector<std::string>& error_lines() const { return error_lines_; }
  // The engine the app runs on (aot falls back to interp for a build it cannot run).
  const std::string& engine() const { return setup_.live.engine; }

 private:
  void Rewatch();
  void ReloadAssets(const std::vector<std::string>& urls);
  void StartBuild();
  void FinishBuild();
  void Swap(DevBuildResult& built, ReloadReport& report);
  void Report(ReloadReport& report);
  bool StartSession(std::vector<uint8_t> wasm, std::map<uint32_t, std::string> symbols,
                    std::optional<host::RunError>& fatal);

  const GlobalOptions& global_;
  DevSetup setup_;
  DevEvents& events_;
  std::unique_ptr<FileWatcher> watcher_;
  DevWatchPlan plan_;
  std::set<std::string> skip_;
  std::set<std::string> said_;  // build messages already printed (the unsigned-bundle warning, say)
  std::unique_ptr<host::LiveSession> session_;
  std::vector<uint8_t> running_wasm_;  // the module the session runs
  std::set<std::string> pending_;      // changed files not yet built
  std::vector<std::string> building_changes_;
  std::thread build_thread_;
  std::atomic<bool> build_done_{false};
  DevBuildResult build_result_;
  int wake_[2] = {-1, -1};  // the build thread writes a byte when it ends
  size_t traps_seen_ = 0;
  int reload_events_ = 0;
  std::vector<std::string> error_lines_;
};

// "reloaded in 640 ms (expand 90, compile 420, link 40, optimize 60, swap 30): kept 14 signals, focus "..."".
std::string ReloadLine(const ReloadReport& report);
// The overlay lines for errors: file:line:col, the message, the source line.
std::vector<std::string> ErrorOverlay(const std::vector<Diagnostic>& errors);

}  // namespace ws
