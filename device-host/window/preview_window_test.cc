// canvas.h (included by preview_window.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/preview_window.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "device-host/window/x_test_support.h"
#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

using Kind = WindowEvent::Kind;
using Clock = std::chrono::steady_clock;

struct Rgb {
  uint8_t r, g, b;
};

Canvas Halves(int w, int h, Rgb left, Rgb right) {
  Canvas c(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      Rgb color = x < w / 2 ? left : right;
      uint8_t* p = &c.rgba[(static_cast<size_t>(y) * w + x) * 4];
      p[0] = color.r, p[1] = color.g, p[2] = color.b, p[3] = 255;
    }
  }
  return c;
}

bool Near(const Canvas& c, int x, int y, Rgb want) {
  const uint8_t* p = &c.rgba[(static_cast<size_t>(y) * c.width + x) * 4];
  return std::abs(p[0] - want.r) <= 2 && std::abs(p[1] - want.g) <= 2 && std::abs(p[2] - want.b) <= 2;
}

// Each test has an X server of its own (a fresh display), and the window
// under test is opened on it through $DISPLAY, as a user's would be.
class PreviewWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<XServer>> server = XServer::Start();
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    if (const char* display = std::getenv("DISPLAY")) saved_display_ = display;
    ::setenv("DISPLAY", server_->display().c_str(), 1);
    std::string pattern = (std::filesystem::temp_directory_path() / "ws_preview_window_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    scratch_ = pattern;
  }
  void TearDown() override {
    window_.reset();  // before its X server goes
    server_.reset();
    if (saved_display_) {
      ::setenv("DISPLAY", saved_display_->c_str(), 1);
    } else {
      ::unsetenv("DISPLAY");
    }
    std::filesystem::remove_all(scratch_);
  }

  // Opens a window and waits for X to show it; returns its X window id.
  std::string Open(WindowOptions options) {
    Result<std::unique_ptr<PreviewWindow>> window = PreviewWindow::Open(options);
    EXPECT_TRUE(window) << window.error().message;
    if (!window) return "";
    window_ = std::move(*window);
    Result<std::string> id = server_->FindWindow(options.title);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : "";
  }

  // Presents `frame` until a capture of the window passes `check` (a frame
  // drawn before X mapped the window is not kept), or 10 s went by.
  std::optional<Canvas> PresentUntil(const std::string& id, const Canvas& frame,
                                     const std::vector<std::string>& overlay, bool error,
                                     const std::function<bool(const Canvas&)>& check) {
    std::optional<Canvas> last;
    for (auto end = Clock::now() + std::chrono::seconds(10); Clock::now() < end;) {
      window_->Present(frame, overlay, error);
      window_->Poll();
      Result<Canvas> shot = server_->Capture(id, scratch_);
      EXPECT_TRUE(shot) << shot.error().message;
      if (!shot) return std::nullopt;
      last = *shot;
      if (check(*last)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
  }

  // Device keys and commands the window reported, until `count` or 10 s.
  std::vector<WindowEvent> Collect(size_t count) {
    std::vector<WindowEvent> got;
    for (auto end = Clock::now() + std::chrono::seconds(10); got.size() < count && Clock::now() < end;) {
      window_->WaitForEvent(500);
      for (const WindowEvent& e : window_->Poll()) got.push_back(e);
    }
    return got;
  }

  std::unique_ptr<XServer> server_;
  std::unique_ptr<PreviewWindow> window_;
  std::optional<std::string> saved_display_;
  std::string scratch_;
};

TEST(PreviewWindowNoDisplayTest, OpenFailsNamingDisplay) {
  std::optional<std::string> saved;
  if (const char* display = std::getenv("DISPLAY")) saved = display;
  ::unsetenv("DISPLAY");
  ::setenv("SDL_VIDEODRIVER", "x11", 1);  // not a Wayland session either: no display at all
  Result<std::unique_ptr<PreviewWindow>> window = PreviewWindow::Open({});
  ::unsetenv("SDL_VIDEODRIVER");
  if (saved) ::setenv("DISPLAY", saved->c_str(), 1);
  ASSERT_FALSE(window);
  EXPECT_NE(window.error().message.find("$DISPLAY"), std::string::npos) << window.error().message;
  EXPECT_NE(window.error().message.find("--headless"), std::string::npos) << window.error().message;
}

TEST_F(PreviewWindowTest, PresentShowsTheFrameInTheWindow) {
  std::string id = Open({.title = "ws test present", .width = 320, .height = 180, .scale = 1});
  ASSERT_FALSE(id.empty());
  Rgb left{200, 40, 90}, right{30, 160, 220};
  std::optional<Canvas> shot = PresentUntil(id, Halves(320, 180, left, right), {}, false,
                                            [&](const Canvas& c) { return Near(c, 80, 90, left); });
  ASSERT_TRUE(shot);
  ASSERT_EQ(shot->width, 320);
  ASSERT_EQ(shot->height, 180);
  EXPECT_TRUE(Near(*shot, 80, 90, left));
  EXPECT_TRUE(Near(*shot, 240, 90, right));
  EXPECT_TRUE(Near(*shot, 0, 0, left));
  EXPECT_TRUE(Near(*shot, 319, 179, right));
}

TEST_F(PreviewWindowTest, ScaleZeroFitsTheDisplay) {
  // A 4K device on a 1920x1080 screen (no desktop panels under Xvfb).
  std::string id = Open({.title = "ws test fit", .width = 3840, .height = 2160, .scale = 0});
  ASSERT_FALSE(id.empty());
  Rgb color{10, 200, 10};
  std::optional<Canvas> shot = PresentUntil(id, Halves(3840, 2160, color, color), {}, false,
                                            [&](const Canvas& c) { return Near(c, c.width / 2, c.height / 2, color); });
  ASSERT_TRUE(shot);
  EXPECT_EQ(shot->width, 1920);
  EXPECT_EQ(shot->height, 1080);
  EXPECT_TRUE(Near(*shot, 960, 540, color));
}

TEST_F(PreviewWindowTest, ExplicitScale) {
  std::string id = Open({.title = "ws test half", .width = 640, .height = 360, .scale = 0.5});
  ASSERT_FALSE(id.empty());
  Rgb color{250, 250, 0};
  std::optional<Canvas> shot = PresentUntil(id, Halves(640, 360, color, color), {}, false,
                                            [&](const Canvas& c) { return Near(c, 100, 100, color); });
  ASSERT_TRUE(shot);
  EXPECT_EQ(shot->width, 320);
  EXPECT_EQ(shot->height, 180);
}

TEST_F(PreviewWindowTest, OverlayAndErrorPanelAreDrawnOverTheFrame) {
  std::string id = Open({.title = "ws test overlay", .width = 640, .height = 360, .scale = 1});
  ASSERT_FALSE(id.empty());
  Rgb grey{128, 128, 128};
  Canvas frame = Halves(640, 360, grey, grey);
  std::optional<Canvas> stats = PresentUntil(id, frame, {"frame 3.2 ms p50", "reloads 1"}, false,
                                             [&](const Canvas& c) { return c.rgba[(12 * 640 + 12) * 4] < 64; });
  ASSERT_TRUE(stats);
  EXPECT_LT(stats->rgba[(12 * 640 + 12) * 4], 64);  // the dark panel, top left
  EXPECT_TRUE(Near(*stats, 600, 340, grey));         // the frame elsewhere
  std::optional<Canvas> error = PresentUntil(id, frame, {"src/app.cc:3:1: error: expected ';'"}, true,
                                             [&](const Canvas& c) { return Near(c, 12, 12, grey); });
  ASSERT_TRUE(error);
  EXPECT_TRUE(Near(*error, 12, 12, grey));  // the statistics panel is gone
  const uint8_t* bottom = &error->rgba[(350 * 640 + 630) * 4];
  EXPECT_GT(bottom[0], bottom[1] + 20);  // red-tinted along the bottom
}

TEST_F(PreviewWindowTest, KeysBecomeDeviceKeysAndCommands) {
  std::string id = Open({.title = "ws test keys", .width = 320, .height = 180, .scale = 1});
  ASSERT_FALSE(id.empty());
  window_->Poll();  // whatever X said while mapping the window
  ASSERT_TRUE(server_->Focus(id));
  Result<std::string> sent = server_->Run(
      {"xdotool", "key", "--clearmodifiers", "Up", "Down", "Left", "Right", "Return", "KP_Enter", "BackSpace",
       "Escape", "a", "Z", "F1", "F5", "F12"});
  ASSERT_TRUE(sent) << sent.error().message;
  std::vector<WindowEvent> got = Collect(13);
  std::vector<std::pair<Kind, int32_t>> want = {
      {Kind::kKey, host_abi::kKeyUp},       {Kind::kKey, host_abi::kKeyDown},   {Kind::kKey, host_abi::kKeyLeft},
      {Kind::kKey, host_abi::kKeyRight},    {Kind::kKey, host_abi::kKeySelect}, {Kind::kKey, host_abi::kKeySelect},
      {Kind::kKey, host_abi::kKeyBack},     {Kind::kKey, host_abi::kKeyBack},   {Kind::kKey, 'a'},
      {Kind::kKey, 'Z'},                    {Kind::kToggleOverlay, 0},          {Kind::kRestart, 0},
      {Kind::kScreenshot, 0}};
  std::vector<std::pair<Kind, int32_t>> have;
  for (const WindowEvent& e : got) have.emplace_back(e.kind, e.key);
  EXPECT_EQ(have, want);
}

// WaitForEvent takes the event that woke it off SDL's queue: Poll() must
// still return it.
TEST_F(PreviewWindowTest, WaitForEventKeepsTheEventForPoll) {
  std::string id = Open({.title = "ws test wait", .width = 320, .height = 180, .scale = 1});
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(server_->Focus(id));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  window_->Poll();
  ASSERT_TRUE(server_->Key(id, "Down"));
  window_->WaitForEvent(10000);
  std::vector<WindowEvent> got = window_->Poll();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, Kind::kKey);
  EXPECT_EQ(got[0].key, host_abi::kKeyDown);
}

TEST_F(PreviewWindowTest, WaitForEventReturnsAfterTheTimeoutWhenIdle) {
  std::string id = Open({.title = "ws test idle", .width = 320, .height = 180, .scale = 1});
  ASSERT_FALSE(id.empty());
  window_->Poll();
  auto start = Clock::now();
  window_->WaitForEvent(100);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace ws::host
