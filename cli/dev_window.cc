#include "cli/dev_window.h"

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/exit_code.h"
#include "cli/failure.h"
#include "device-host/preview_window.h"
#include "platform/interrupt.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kFrameMs = 16;     // 60 Hz while the app animates
constexpr int kIdleWaitMs = 50;  // how soon an idle window notices a finished build
constexpr double kOverlayRefreshMs = 250;

std::string Fixed(double value, int digits = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::vector<std::string> StatsOverlay(const host::LiveStats& s, const DevInfo& info) {
  std::vector<std::string> lines = {
      info.app + " on " + (info.device.empty() ? std::string("no device") : info.device) + " (" +
          info.engine + ", " + std::to_string(info.width) + "x" + std::to_string(info.height) + ")",
      "frame time p50 " + Fixed(s.frame_ms_p50) + " ms, p99 " + Fixed(s.frame_ms_p99) + " ms (last second)",
      "input latency " + Fixed(s.input_latency_ms) + " ms",
      "instructions per frame " + std::to_string(s.instructions_per_frame),
      "memory " + Fixed(static_cast<double>(s.memory_bytes) / (1 << 20)) + " MiB",
      "reloads " + std::to_string(s.reloads) + ", frames " + std::to_string(s.frames),
  };
  if (s.startup.measured) {
    std::string line = "startup " + Fixed(s.startup.total_ms) + " ms (instantiate " + Fixed(s.startup.instantiate_ms) +
                       ", init " + Fixed(s.startup.init_ms) + ", first frame " + Fixed(s.startup.first_frame_ms) + ")";
    if (s.startup.instructions > 0) line += ", " + std::to_string(s.startup.instructions) + " instructions";
    lines.push_back(line);
  }
  if (s.signals > 0 || !s.focus.empty()) {
    lines.push_back("signals " + std::to_string(s.signals) +
                    (s.focus.empty() ? "" : ", focus \"" + s.focus + "\""));
  }
  return lines;
}

// dist/screenshot-20261207-153012.png (-2, -3, ... when taken within the second).
std::string ShotPath(const std::string& dir) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::string base = dir + "/screenshot-" + stamp;
  std::string path = base + ".png";
  for (int n = 2; fs::exists(path); ++n) path = base + "-" + std::to_string(n) + ".png";
  return path;
}

}  // namespace

void TextEvents::Reloaded(const ReloadReport& report) {
  if (global_.quiet && report.ok) return;
  std::cerr << ReloadLine(report) << "\n" << std::flush;
}

void TextEvents::Trapped(const host::TrapRecord& trap) {
  std::cerr << "the app trapped: " << trap.kind << ": " << trap.message
            << (trap.during.empty() ? "" : " (during " + trap.during + ")") << "; restarted it\n";
}

void TextEvents::Note(const std::string& text) { std::cerr << "wasmship: " << text << "\n"; }

int RunWindow(const GlobalOptions& global, DevLoop& loop, const DevInfo& info,
              const WindowSettings& settings) {
  host::WindowOptions options;
  options.title = "wasmship dev: " + info.app + (info.device.empty() ? "" : " on " + info.device);
  options.width = info.width;
  options.height = info.height;
  options.scale = settings.scale;
  Result<std::unique_ptr<host::PreviewWindow>> opened = host::PreviewWindow::Open(options);
  if (!opened) {
    return Fail(global, kExitUsage, opened.error().message,
                {"run `wasmship dev --headless` to drive the app without a window"});
  }
  host::PreviewWindow& window = **opened;
  if (!global.quiet) {
    std::cerr << "wasmship dev: " << info.app << (info.device.empty() ? "" : " on " + info.device) << " ("
              << info.engine << ", " << info.width << "x" << info.height << "); watching for changes\n"
              << "  arrows: D-pad, Enter: select, Backspace/Escape: back, F1: overlay, F5: restart, "
                 "F12: screenshot, Ctrl-C or close: quit\n";
  }
  host::Canvas canvas(info.width, info.height);
  bool overlay = false;
  bool dirty = true;
  std::vector<std::string> shown_lines;
  Clock::time_point start = Clock::now();
  Clock::time_point overlay_at = start;
  for (;;) {
    if (InterruptRequested()) return InterruptSignal() == SIGINT ? kExitOk : InterruptExitCode();
    host::LiveSession* session = loop.session();
    for (const host::WindowEvent& event : window.Poll()) {
      switch (event.kind) {
        case host::WindowEvent::Kind::kClose: return kExitOk;
        case host::WindowEvent::Kind::kKey:
          if (session != nullptr) session->Key(event.key);
          break;
        case host::WindowEvent::Kind::kToggleOverlay:
          overlay = !overlay;
          dirty = true;
          break;
        case host::WindowEvent::Kind::kRestart: loop.Restart(); break;
        case host::WindowEvent::Kind::kScreenshot: {
          if (session == nullptr) break;
          std::error_code ec;
          fs::create_directories(settings.shots_dir, ec);
          std::string path = ShotPath(settings.shots_dir);
          loop.Skip(path);
          Status written = session->Screenshot(path);
          std::cerr << (written ? "screenshot: " + path : "wasmship: " + written.error().message) << "\n";
          break;
        }
      }
    }
    loop.Service();
    session = loop.session();  // the first good build may have started the app
    Clock::time_point frame_start = Clock::now();
    bool animating = false;
    if (session != nullptr) {
      animating = session->Frame(std::chrono::duration<double, std::milli>(frame_start - start).count());
      loop.CheckTraps();
      if (session->HasNewFrame()) {
        session->Render(canvas);
        dirty = true;
      }
    }
    std::vector<std::string> lines;
    bool error = !loop.error_lines().empty();
    if (error) {
      lines = loop.error_lines();
    } else if (overlay && session != nullptr) {
      if (std::chrono::duration<double, std::milli>(frame_start - overlay_at).count() >= kOverlayRefreshMs) {
        overlay_at = frame_start;
        dirty = true;
      }
      lines = dirty ? StatsOverlay(session->Stats(), info) : shown_lines;
    }
    if (lines != shown_lines) dirty = true;
    if (dirty) {
      window.Present(canvas, lines, error);
      shown_lines = lines;
      dirty = false;
    }
    int spent =
        static_cast<int>(std::chrono::duration<double, std::milli>(Clock::now() - frame_start).count());
    window.WaitForEvent(animating ? std::max(0, kFrameMs - spent) : kIdleWaitMs);
  }
}

}  // namespace ws
