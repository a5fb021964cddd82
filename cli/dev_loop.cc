#include "cli/dev_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/failure.h"
#include "diagnostics/diagnostic_printer.h"
#include "platform/elapsed.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Ms(double ms) { return std::to_string(static_cast<long long>(std::llround(ms))); }

std::string Relative(const std::string& root, const std::string& path) {
  std::string r = fs::path(path).lexically_relative(root).string();
  return r.empty() || r.starts_with("..") ? path : r;
}

std::vector<std::string> TrapOverlay(const host::TrapRecord& trap) {
  std::vector<std::string> lines = {"the new module trapped while starting: " + trap.kind + ": " +
                                    trap.message};
  if (!trap.during.empty()) lines.push_back("  during " + trap.during);
  for (size_t i = 0; i < trap.stack.size() && i < 6; ++i) lines.push_back("    at " + trap.stack[i]);
  lines.push_back("the previous app keeps running; fix it and save");
  return lines;
}

}  // namespace

std::string ReloadLine(const ReloadReport& r) {
  if (!r.assets.empty()) {
    std::string names;
    for (const std::string& url : r.assets) names += (names.empty() ? "" : ", ") + url;
    return (r.ok ? "reloaded " : "could not reload ") + names + " in " + Ms(r.ms) + " ms" +
           (r.ok ? "" : ": " + r.message);
  }
  if (!r.ok) {
    if (r.trap)
      return "the new module trapped while starting (" + r.trap->kind + ": " + r.trap->message +
             "); the previous app keeps running";
    if (!r.errors.empty() || r.message.empty()) {
      return "build failed (" + std::to_string(r.errors.size()) + " error" +
             (r.errors.size() == 1 ? "" : "s") + "); the previous app keeps running";
    }
    return "reload failed: " + r.message + "; the previous app keeps running";
  }
  if (r.unchanged) return "rebuilt in " + Ms(r.ms) + " ms: the module did not change";
  if (r.restart)
    return "restarted in " + Ms(r.ms) + " ms: state dropped" +
           (r.focus.empty() ? "" : ", focus \"" + r.focus + "\"");
  std::string line = "reloaded in " + Ms(r.ms) + " ms (";
  line += "expand " + Ms(r.steps.expand) + ", compile " + Ms(r.steps.compile) + ", link " + Ms(r.steps.link) +
          ", optimize " + Ms(r.steps.optimize) + ", swap " + Ms(r.swap_ms) + "): ";
  if (r.state_kept) {
    line += "kept " + std::to_string(r.kept_signals) + " signal" + (r.kept_signals == 1 ? "" : "s");
    if (r.reset_signals > 0) line += ", reset " + std::to_string(r.reset_signals);
  } else {
    line += "state not kept" + (r.message.empty() ? std::string() : " (" + r.message + ")");
  }
  if (!r.focus.empty()) line += ", focus \"" + r.focus + "\"";
  return line;
}

std::vector<std::string> ErrorOverlay(const std::vector<Diagnostic>& errors) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < errors.size() && i < 4; ++i) {
    std::istringstream text(FormatDiagnostic(errors[i]));
    for (std::string line; std::getline(text, line);) lines.push_back(line);
  }
  if (errors.size() > 4)
    lines.push_back("... and " + std::to_string(errors.size() - 4) + " more (see the terminal)");
  if (lines.empty()) lines.push_back("the build failed (see the terminal)");
  lines.push_back("the last good app keeps running; the next good save replaces it");
  return lines;
}

DevLoop::DevLoop(const GlobalOptions& global, DevSetup setup, DevEvents& events,
                 std::unique_ptr<FileWatcher> watcher)
    : global_(global), setup_(std::move(setup)), events_(events), watcher_(std::move(watcher)) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
  Rewatch();
}

DevLoop::~DevLoop() {
  if (build_thread_.joinable()) build_thread_.join();
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

// Watches what the project's wasmship.yaml names now; a broken one keeps
// the previous watch (its own file is watched either way).
void DevLoop::Rewatch() {
  DiagnosticSink sink;
  std::optional<Manifest> manifest = LoadManifest(setup_.build.manifest_path, sink);
  if (!manifest) return;
  plan_ = PlanDevWatch(setup_.root, *manifest);
  if (Status watched = watcher_->Watch(plan_.set); !watched) events_.Note(watched.error().message);
}

bool DevLoop::StartSession(std::vector<uint8_t> wasm, std::map<uint32_t, std::string> symbols,
                           std::optional<host::RunError>& fatal) {
  auto started = host::LiveSession::Start(setup_.live, wasm, symbols, *setup_.app_out, *setup_.app_err);
  if (!started && setup_.live.engine == "aot" && !setup_.engine_forced &&
      started.error().kind == host::RunErrorKind::kEngineCannotRun) {
    events_.Note("the device's aot engine cannot run this build; running it with interp");
    setup_.live.engine = "interp";
    started = host::LiveSession::Start(setup_.live, wasm, symbols, *setup_.app_out, *setup_.app_err);
  }
  if (!started) {
    if (started.error().kind != host::RunErrorKind::kAppFailedToStart) {
      fatal = started.error();
      return false;
    }
    error_lines_ = {"the app failed to start: " + started.error().message,
                    "fix it and save: dev keeps watching"};
    events_.Note(error_lines_.front() + "; waiting for a change");
    return false;
  }
  session_ = std::move(*started);
  running_wasm_ = std::move(wasm);
  traps_seen_ = 0;
  error_lines_.clear();
  return true;
}

std::optional<host::RunError> DevLoop::Start(DevBuildResult first) {
  said_.insert(first.messages.begin(), first.messages.end());  // printed with the first build's progress
  std::optional<host::RunError> fatal;
  StartSession(std::move(first.wasm), std::move(first.symbols), fatal);
  return fatal;
}

std::vector<int> DevLoop::fds() const {
  std::vector<int> fds = {watcher_->fd()};
  if (wake_[0] >= 0) fds.push_back(wake_[0]);
  return fds;
}

void DevLoop::Service() {
  std::vector<std::string> changed = watcher_->Wait(std::chrono::milliseconds(0));
  if (!changed.empty()) {
    DevChanges changes = ClassifyChanges(changed, plan_, skip_);
    for (const std::string& path : changed) skip_.erase(path);
    if (!changes.asset_urls.empty()) ReloadAssets(changes.asset_urls);
    pending_.insert(changes.sources.begin(), changes.sources.end());
  }
  if (build_done_.load()) FinishBuild();
  if (!building() && !pending_.empty()) StartBuild();
}

void DevLoop::ReloadAssets(const std::vector<std::string>& urls) {
  if (!session_) return;  // the next start reads them anyway
  Clock::time_point start = Clock::now();
  ReloadReport report;
  report.ok = true;
  report.assets = urls;
  for (const std::string& url : urls) {
    host::ReloadOutcome outcome = session_->AssetChanged(url);
    if (!outcome.ok) {
      report.ok = false;
      report.message = outcome.message;
      report.trap = outcome.trap;
    }
    report.swap_ms += outcome.swap_ms;
    report.state_kept = outcome.state_kept;
    report.kept_signals = outcome.kept_signals;
    report.reset_signals = outcome.reset_signals;
    report.focus = outcome.focus;
    if (outcome.startup.measured) report.startup = outcome.startup;
  }
  report.ms = MsSince(start);
  report.changed = urls;
  Report(report);
}

void DevLoop::StartBuild() {
  building_changes_.clear();
  for (const std::string& path : pending_) building_changes_.push_back(Relative(setup_.root, path));
  pending_.clear();
  build_done_.store(false);
  build_thread_ = std::thread([this] {
    build_result_ = DevBuild(setup_.build);
    build_done_.store(true);
    char byte = 1;
    if (wake_[1] >= 0) {
      [[maybe_unused]] ssize_t n = ::write(wake_[1], &byte, 1);
    }
  });
}

void DevLoop::FinishBuild() {
  build_thread_.join();
  build_done_.store(false);
  char drain[16];
  while (wake_[0] >= 0 && ::read(wake_[0], drain, sizeof drain) > 0) {
  }
  DevBuildResult built = std::move(build_result_);
  build_result_ = {};
  if (!global_.quiet) {
    for (const std::string& message : built.messages) {
      if (said_.insert(message).second) std::cerr << "wasmship: " << message << "\n";  // once a session
    }
    std::cerr << built.tool_output;
  }
  PrintDiagnostics(global_, built.diagnostics);
  if (built.status == BuildStatus::kInterrupted) {
    events_.Note("build interrupted; the last good build stays in dist/");
    return;
  }
  ReloadReport report;
  report.changed = building_changes_;
  report.steps = built.steps;
  Clock::time_point swap_start = Clock::now();
  if (!built.loaded) {
    report.errors = built.errors;
    if (report.errors.empty()) report.message = "the build failed";
    error_lines_ = ErrorOverlay(report.errors);
  } else {
    Swap(built, report);
  }
  report.ms = built.ms + MsSince(swap_start);
  Rewatch();  // wasmship.yaml may name other sources or assets now
  Report(report);
}

void DevLoop::Swap(DevBuildResult& built, ReloadReport& report) {
  if (session_ && built.wasm == running_wasm_) {
    report.ok = report.unchanged = true;
    error_lines_.clear();
    return;
  }
  if (!session_) {
    std::optional<host::RunError> fatal;
    report.ok = StartSession(std::move(built.wasm), std::move(built.symbols), fatal);
    if (fatal) {
      report.message = fatal->message;
      error_lines_ = {"the new build cannot run: " + fatal->message};
    } else if (!report.ok) {
      report.message = error_lines_.empty() ? "the app failed to start" : error_lines_.front();
    }
    return;
  }
  std::vector<uint8_t> wasm = built.wasm;
  host::ReloadOutcome outcome = session_->Reload(std::move(built.wasm), std::move(built.symbols));
  report.ok = outcome.ok;
  report.swap_ms = outcome.swap_ms;
  report.state_kept = outcome.state_kept;
  report.kept_signals = outcome.kept_signals;
  report.reset_signals = outcome.reset_signals;
  report.focus = outcome.focus;
  report.message = outcome.message;
  report.trap = outcome.trap;
  report.startup = outcome.startup;
  traps_seen_ = session_->traps().size();  // the new module's trap is in the report
  if (outcome.ok) {
    running_wasm_ = std::move(wasm);
    error_lines_.clear();
  } else if (outcome.trap) {
    error_lines_ = TrapOverlay(*outcome.trap);
  } else {
    error_lines_ = {"the new module cannot run: " + outcome.message, "the previous app keeps running"};
  }
}

void DevLoop::Report(ReloadReport& report) {
  ++reload_events_;
  events_.Reloaded(report);
}

void DevLoop::CheckTraps() {
  if (!session_) return;
  const std::vector<host::TrapRecord>& traps = session_->traps();
  for (; traps_seen_ < traps.size(); ++traps_seen_) events_.Trapped(traps[traps_seen_]);
}

void DevLoop::Restart() {
  if (!session_) return;
  Clock::time_point start = Clock::now();
  host::ReloadOutcome outcome = session_->Restart();
  ReloadReport report;
  report.restart = true;
  report.ok = outcome.ok;
  report.swap_ms = outcome.swap_ms;
  report.focus = outcome.focus;
  report.message = outcome.message;
  report.trap = outcome.trap;
  report.startup = outcome.startup;
  report.ms = MsSince(start);
  traps_seen_ = session_->traps().size();
  Report(report);
}

}  // namespace ws
