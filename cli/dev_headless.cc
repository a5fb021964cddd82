#include "cli/dev_headless.h"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/exit_code.h"
#include "device-host/session/key_script.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr double kMaxWaitMs = 10 * 60 * 1000;          // wait: ten minutes of virtual time at most
constexpr double kDefaultReloadTimeoutMs = 60 * 1000;  // wait-reload without a timeout
constexpr const char* kCommands =
    "key NAME, wait MS, screenshot FILE.png, wait-reload [TIMEOUT_MS], state, quit";

long long Rounded(double ms) { return std::llround(ms); }

void Emit(const json& event) { std::cout << event.dump() << "\n" << std::flush; }

void EmitError(const std::string& message, const std::string& line = "") {
  json event = {{"event", "error"}, {"message", message}};
  if (!line.empty()) event["line"] = line;
  Emit(event);
}

json TrapJson(const host::TrapRecord& trap) {
  return {{"kind", trap.kind},
          {"message", trap.message},
          {"during", trap.during},
          {"frame", trap.frame},
          {"stack", trap.stack}};
}

std::optional<double> ParseMs(const std::string& text) {
  try {
    size_t used = 0;
    double ms = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(ms) || ms < 0 || ms > kMaxWaitMs) return std::nullopt;
    return ms;
  } catch (...) {
    return std::nullopt;
  }
}

// The words of a line; the rest after the command word is one argument
// (a screenshot path may hold spaces).
std::pair<std::string, std::string> Split(const std::string& line) {
  size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  size_t end = line.find_first_of(" \t", begin);
  std::string word = line.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  std::string rest;
  if (end != std::string::npos) {
    size_t a = line.find_first_not_of(" \t", end);
    size_t b = line.find_last_not_of(" \t\r");
    if (a != std::string::npos && b != std::string::npos && b >= a) rest = line.substr(a, b - a + 1);
  }
  if (!word.empty() && word.back() == '\r') word.pop_back();
  return {word, rest};
}

}  // namespace

Result<HeadlessCommand> ParseHeadlessCommand(const std::string& line) {
  auto [word, arg] = Split(line);
  HeadlessCommand command;
  if (word.empty() || word.starts_with("#")) return command;
  auto no_argument = [&](HeadlessCommand::Kind kind) -> Result<HeadlessCommand> {
    if (!arg.empty()) return Error{"'" + word + "' takes no argument"};
    command.kind = kind;
    return command;
  };
  if (word == "key") {
    std::optional<int32_t> key = host::KeyCode(arg);
    if (!key) {
      std::string names;
      for (const std::string& name : host::KeyNames()) names += (names.empty() ? "" : ", ") + name;
      return Error{"unknown key '" + arg + "': use " + names + " or one character"};
    }
    command.kind = HeadlessCommand::Kind::kKey;
    command.key = *key;
    return command;
  }
  if (word == "wait") {
    std::optional<double> ms = ParseMs(arg);
    if (!ms) return Error{"'wait' needs milliseconds of virtual time (0 to 600000), as in 'wait 200'"};
    command.kind = HeadlessCommand::Kind::kWait;
    command.ms = *ms;
    return command;
  }
  if (word == "screenshot") {
    if (arg.empty()) return Error{"'screenshot' needs a file name, as in 'screenshot shot.png'"};
    command.kind = HeadlessCommand::Kind::kScreenshot;
    command.path = arg;
    return command;
  }
  if (word == "wait-reload") {
    command.kind = HeadlessCommand::Kind::kWaitReload;
    command.ms = kDefaultReloadTimeoutMs;
    if (arg.empty()) return command;
    std::optional<double> ms = ParseMs(arg);
    if (!ms)
      return Error{"'wait-reload' takes a timeout in milliseconds (0 to 600000), as in 'wait-reload 30000'"};
    command.ms = *ms;
    return command;
  }
  if (word == "state") return no_argument(HeadlessCommand::Kind::kState);
  if (word == "quit") return no_argument(HeadlessCommand::Kind::kQuit);
  return Error{"unknown command '" + word + "'; the commands are " + kCommands};
}

void HeadlessEvents::Reloaded(const ReloadReport& r) {
  if (r.trap)
    Emit({{"event", "trap"}, {"reload", true}, {"old_app_kept", true}, {"trap", TrapJson(*r.trap)}});
  json event = {{"event", "reload"}, {"ok", r.ok}, {"ms", Rounded(r.ms)}};
  event["steps"] = {{"expand", Rounded(r.steps.expand)},
                    {"compile", Rounded(r.steps.compile)},
                    {"link", Rounded(r.steps.link)},
                    {"optimize", Rounded(r.steps.optimize)},
                    {"swap", Rounded(r.swap_ms)}};
  event["kept_signals"] = r.kept_signals;
  event["reset_signals"] = r.reset_signals;
  event["focus"] = r.focus;
  event["state_kept"] = r.state_kept;
  if (r.ok && r.startup.measured) {
    // Milliseconds to two decimals: a start is often shorter than 1 ms.
    auto ms = [](double v) { return std::round(v * 100) / 100; };
    event["startup"] = {{"instantiate_ms", ms(r.startup.instantiate_ms)},
                        {"init_ms", ms(r.startup.init_ms)},
                        {"first_frame_ms", ms(r.startup.first_frame_ms)},
                        {"total_ms", ms(r.startup.total_ms)},
                        {"instructions", r.startup.instructions}};
  }
  if (r.unchanged) event["unchanged"] = true;
  if (r.restart) event["restart"] = true;
  if (!r.assets.empty()) event["assets"] = r.assets;
  event["changed"] = r.changed;
  if (!r.message.empty()) event["message"] = r.message;
  if (!r.ok) {
    json diagnostics = json::array();
    for (const Diagnostic& d : r.errors) {
      diagnostics.push_back(
          {{"file", d.span.file}, {"line", d.span.line}, {"column", d.span.column}, {"message", d.message}});
    }
    if (diagnostics.empty()) {
      std::string message =
          r.trap ? "the new module trapped while starting: " + r.trap->kind + ": " + r.trap->message
                 : (r.message.empty() ? std::string("the build failed") : r.message);
      diagnostics.push_back({{"file", ""}, {"line", 0}, {"column", 0}, {"message", message}});
    }
    event["diagnostics"] = diagnostics;
  }
  Emit(event);
  std::cerr << ReloadLine(r) << "\n";
}

void HeadlessEvents::Trapped(const host::TrapRecord& trap) {
  Emit({{"event", "trap"}, {"reload", false}, {"trap", TrapJson(trap)}});
}

void HeadlessEvents::Note(const std::string& text) { std::cerr << "wasmship: " << text << "\n"; }

namespace {

class Headless {
 public:
  Headless(DevLoop& loop, const DevInfo& info) : loop_(loop), info_(info) {}

  int Run();

 private:
  // Returns false for quit.
  bool Execute(const std::string& line);
  void Screenshot(const std::string& path);
  void State();
  void Settle();
  bool ReadInput();
  std::optional<std::string> NextLine();

  DevLoop& loop_;
  const DevInfo& info_;
  std::string input_;
  bool eof_ = false;
  int reloads_waited_ = 0;
  std::optional<Clock::time_point> waiting_until_;  // wait-reload in progress
  double waiting_ms_ = 0;
};

std::optional<std::string> Headless::NextLine() {
  size_t newline = input_.find('\n');
  if (newline == std::string::npos) {
    if (!eof_ || input_.empty()) return std::nullopt;
    newline = input_.size();  // the last line without its newline
  }
  std::string line = input_.substr(0, newline);
  input_.erase(0, std::min(newline + 1, input_.size()));
  return line;
}

bool Headless::ReadInput() {
  char buffer[4096];
  ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (n > 0) {
    input_.append(buffer, static_cast<size_t>(n));
    return true;
  }
  if (n == 0 || (errno != EINTR && errno != EAGAIN)) eof_ = true;
  return false;
}

void Headless::Settle() {
  if (loop_.session() == nullptr) return;
  loop_.session()->Settle();
  loop_.CheckTraps();
}

void Headless::Screenshot(const std::string& name) {
  host::LiveSession* session = loop_.session();
  if (session == nullptr)
    return EmitError("no app is running (the last build did not start); nothing to capture");
  fs::path path(name);
  std::string absolute =
      (path.is_absolute() ? path : fs::path(info_.original_cwd) / path).lexically_normal().string();
  loop_.Skip(absolute);
  if (Status written = session->Screenshot(absolute); !written) return EmitError(written.error().message);
  Emit({{"event", "screenshot"}, {"path", absolute}});
}

void Headless::State() {
  json event = {{"event", "state"}};
  host::LiveSession* session = loop_.session();
  host::LiveStats stats = session != nullptr ? session->Stats() : host::LiveStats{};
  event["reloads"] = stats.reloads;
  event["focus"] = stats.focus;
  event["signals"] = stats.signals;
  event["frame_ms_p99"] = stats.frame_ms_p99;
  event["frame_ms_p50"] = stats.frame_ms_p50;
  event["input_latency_ms"] = stats.input_latency_ms;
  event["instructions_per_frame"] = stats.instructions_per_frame;
  event["memory_bytes"] = stats.memory_bytes;
  event["frames"] = stats.frames;
  event["traps"] = session != nullptr ? session->traps().size() : 0;
  event["running"] = session != nullptr && session->running();
  event["building"] = loop_.busy();
  event["error"] = !loop_.error_lines().empty();
  Emit(event);
}

bool Headless::Execute(const std::string& line) {
  Result<HeadlessCommand> parsed = ParseHeadlessCommand(line);
  if (!parsed) {
    EmitError(parsed.error().message, line);
    return true;
  }
  host::LiveSession* session = loop_.session();
  switch (parsed->kind) {
    case HeadlessCommand::Kind::kNone: return true;
    case HeadlessCommand::Kind::kQuit: return false;
    case HeadlessCommand::Kind::kState: State(); return true;
    case HeadlessCommand::Kind::kScreenshot: Screenshot(parsed->path); return true;
    case HeadlessCommand::Kind::kKey:
      if (session == nullptr) {
        EmitError("no app is running (the last build did not start); the key was dropped", line);
        return true;
      }
      session->Key(parsed->key);
      Settle();
      return true;
    case HeadlessCommand::Kind::kWait:
      if (session != nullptr) {
        session->Advance(parsed->ms);
        loop_.CheckTraps();
      }
      return true;
    case HeadlessCommand::Kind::kWaitReload:
      if (loop_.reload_events() > reloads_waited_) {
        reloads_waited_ = loop_.reload_events();
        return true;
      }
      waiting_ms_ = parsed->ms;
      waiting_until_ = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(parsed->ms * 1000));
      return true;
  }
  return true;
}

int Headless::Run() {
  Emit({{"event", "ready"},
        {"app", info_.app},
        {"device", info_.device},
        {"engine", info_.engine},
        {"profile", info_.profile},
        {"size", std::to_string(info_.width) + "x" + std::to_string(info_.height)},
        {"width", info_.width},
        {"height", info_.height},
        {"running", loop_.session() != nullptr},
        {"pid", static_cast<int>(::getpid())}});
  for (;;) {
    if (InterruptRequested()) return InterruptSignal() == SIGINT ? kExitOk : InterruptExitCode();
    if (!std::cout) return kExitOk;  // nobody reads the events any more
    while (!waiting_until_) {
      std::optional<std::string> line = NextLine();
      if (!line) break;
      if (!Execute(*line)) return kExitOk;
    }
    if (eof_ && !waiting_until_ && input_.empty()) return kExitOk;
    std::vector<pollfd> fds;
    if (!eof_) fds.push_back({STDIN_FILENO, POLLIN, 0});
    for (int fd : loop_.fds()) fds.push_back({fd, POLLIN, 0});
    if (InterruptFd() >= 0) fds.push_back({InterruptFd(), POLLIN, 0});
    int timeout = 200;  // also how often the watcher looks for directories that were missing
    if (waiting_until_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*waiting_until_ - Clock::now()).count();
      timeout = static_cast<int>(std::clamp<int64_t>(left, 0, timeout));
    }
    ::poll(fds.data(), fds.size(), timeout);
    if (!eof_ && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) ReadInput();
    loop_.Service();
    loop_.CheckTraps();
    if (waiting_until_) {
      if (loop_.reload_events() > reloads_waited_) {
        reloads_waited_ = loop_.reload_events();
        waiting_until_.reset();
      } else if (Clock::now() >= *waiting_until_) {
        Emit({{"event", "timeout"},
              {"command", "wait-reload"},
              {"timeout_ms", Rounded(waiting_ms_)},
              {"building", loop_.busy()}});
        waiting_until_.reset();
      }
    }
  }
}

}  // namespace

int RunHeadless(DevLoop& loop, const DevInfo& info) {
  std::signal(SIGPIPE, SIG_IGN);  // a reader that went away ends the session instead of killing it
  return Headless(loop, info).Run();
}

}  // namespace ws
