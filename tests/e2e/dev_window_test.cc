// `wasmship dev` with its window, for real: an X server of the test's own
// (Xvfb), keys typed with xdotool, the window read back with xwd. A DSL
// literal is edited while the app runs; the window must show the new text
// with the focus where the user left it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

#include "device-host/render/png_codec.h"
#include "device-host/window/x_test_support.h"
#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using host::Canvas;

constexpr const char* kOldText = "Who's watching?";
constexpr const char* kNewText = "Pick a profile, please";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Pixels that differ between two frames of the same size (by more than a
// rounding step in any channel).
int DifferentPixels(const Canvas& a, const Canvas& b) {
  if (a.width != b.width || a.height != b.height) return a.width * a.height + 1;
  int n = 0;
  for (size_t i = 0; i < a.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) {
      if (std::abs(a.rgba[i + c] - b.rgba[i + c]) > 8) {
        ++n;
        break;
      }
    }
  }
  return n;
}

// `wasmship dev` running in the background, its stdout and stderr in files.
class DevProcess {
 public:
  DevProcess(const std::vector<std::string>& argv, const std::string& cwd, const std::string& out,
             const std::string& err) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(out_fd, STDOUT_FILENO);
      ::dup2(err_fd, STDERR_FILENO);
      int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, STDIN_FILENO);
      if (::chdir(cwd.c_str()) != 0) ::_exit(126);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(out_fd);
    ::close(err_fd);
  }
  ~DevProcess() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // Ctrl-C, as a user ends dev; returns the exit code (or 128 + signal).
  int Interrupt(std::chrono::seconds patience = std::chrono::seconds(60)) {
    ::kill(pid_, SIGINT);
    for (auto end = Clock::now() + patience; Clock::now() < end;) {
      if (std::optional<int> code = Exited()) return *code;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  std::optional<int> Exited() {
    if (exit_code_) return exit_code_;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

class DevWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<host::XServer>> server = host::XServer::Start();
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    std::string pattern = (fs::temp_directory_path() / "ws_dev_window_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::copy(SourcePath("examples/catalog"), dir_ + "/catalog", fs::copy_options::recursive);
    project_ = dir_ + "/catalog";
    fs::remove_all(project_ + "/dist");
    fs::remove_all(project_ + "/.wasmship");
  }
  void TearDown() override {
    dev_.reset();
    server_.reset();
    if (!HasFailure()) fs::remove_all(dir_);  // kept for a look when it failed
  }

  std::vector<std::string> Environment() const {
    return {"CI=1", "WASMSHIP_SIGNING_KEY=", "SOURCE_DATE_EPOCH=", "DISPLAY=" + server_->display(),
            "WASMSHIP_CACHE_DIR=" + (fs::path(testing::TempDir()) / "wasmship-e2e-cache").string()};
  }

  void StartDev() {
    std::vector<std::string> argv = {"env"};
    for (const std::string& e : Environment()) argv.push_back(e);
    argv.insert(argv.end(), {WASMSHIP_BINARY, "dev", "--device", "tv-2019", "--scale", "1"});
    dev_ = std::make_unique<DevProcess>(argv, project_, dir_ + "/dev.out", dir_ + "/dev.err");
  }
  std::string DevErr() const { return ReadFile(dir_ + "/dev.err"); }

  // Waits until dev's stderr has `count` lines containing `part`.
  bool WaitForLine(const std::string& part, int count, std::chrono::seconds patience) {
    for (auto end = Clock::now() + patience; Clock::now() < end;) {
      std::istringstream lines(DevErr());
      int seen = 0;
      for (std::string line; std::getline(lines, line);) seen += line.find(part) != std::string::npos;
      if (seen >= count) return true;
      if (dev_->Exited()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // The window once it has shown the same picture for half a second (the
  // app's transitions are over), not black (the app has drawn).
  std::optional<Canvas> Settled(const std::string& window, std::chrono::seconds patience = std::chrono::seconds(60)) {
    std::optional<Canvas> last;
    auto same_since = Clock::now();
    for (auto end = Clock::now() + patience; Clock::now() < end;) {
      Result<Canvas> shot = server_->Capture(window, dir_);
      if (!shot) {
        ADD_FAILURE() << shot.error().message;
        return std::nullopt;
      }
      bool drawn = DifferentPixels(*shot, Canvas(shot->width, shot->height)) > 0;
      if (!last || DifferentPixels(*last, *shot) != 0) {
        same_since = Clock::now();
      } else if (drawn && Clock::now() - same_since >= std::chrono::milliseconds(500)) {
        return std::move(*shot);
      }
      last = std::move(*shot);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the window never settled";
    return std::nullopt;
  }

  // What `wasmship run` draws for the project as it is now, after `keys`.
  std::optional<Canvas> RunScreenshot(const std::string& keys, const std::string& name) {
    std::string png = dir_ + "/" + name + ".png";
    std::vector<std::string> argv = {WASMSHIP_BINARY, "run", "-p", "debug", "--device", "tv-2019", "--screenshot", png};
    if (!keys.empty()) argv.insert(argv.end(), {"--keys", keys});
    RunResult run = RunCommand(argv, project_, Environment());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::string bytes = ReadFile(png);
    Result<host::Image> image = host::DecodePng({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    EXPECT_TRUE(image) << image.error().message;
    if (!image) return std::nullopt;
    return *image;
  }

  std::unique_ptr<host::XServer> server_;
  std::unique_ptr<DevProcess> dev_;
  std::string dir_;
  std::string project_;
};

TEST_F(DevWindowTest, DslEditShowsTheNewTextWithFocusWhereItWas) {
  StartDev();
  // The first build is cold (the runtime too): give it time.
  Result<std::string> window = server_->FindWindow("wasmship dev: catalog", 240);
  ASSERT_TRUE(window) << window.error().message << "\n" << DevErr();
  std::optional<Canvas> start = Settled(*window);
  ASSERT_TRUE(start) << DevErr();
  ASSERT_EQ(start->width, 1280);
  ASSERT_EQ(start->height, 720);

  // Focus the second profile, as a user would.
  ASSERT_TRUE(server_->Key(*window, "Right"));
  std::optional<Canvas> before;
  for (auto end = Clock::now() + std::chrono::seconds(30); Clock::now() < end;) {
    before = Settled(*window);
    if (!before || DifferentPixels(*before, *start) > 0) break;
  }
  ASSERT_TRUE(before);
  ASSERT_GT(DifferentPixels(*before, *start), 0) << "the Right key changed nothing in the window";

  // Edit the headline's literal in the DSL, as an editor saves.
  std::string page = project_ + "/src/profiles_page.cpp";
  std::string source = ReadFile(page);
  size_t at = source.find(std::string("text: \"") + kOldText + "\"");
  ASSERT_NE(at, std::string::npos);
  source.replace(at + 7, std::string(kOldText).size(), kNewText);
  std::ofstream(page, std::ios::trunc) << source;
  ASSERT_TRUE(WaitForLine("reloaded in", 1, std::chrono::seconds(300))) << DevErr();
  std::optional<Canvas> after;
  for (auto end = Clock::now() + std::chrono::seconds(30); Clock::now() < end;) {
    after = Settled(*window);
    if (!after || DifferentPixels(*after, *before) > 0) break;
  }
  ASSERT_TRUE(after);

  // The reference: what `run` draws for the edited project after the same key
  // (the new text, the second profile focused)...
  std::optional<Canvas> moved = RunScreenshot("right", "run-right");
  // ... and without it (the new text, the first profile focused: what a
  // reload that lost the focus would show).
  std::optional<Canvas> unmoved = RunScreenshot("", "run-start");
  ASSERT_TRUE(moved && unmoved);
  int differ_from_moved = DifferentPixels(*after, *moved);
  int differ_from_unmoved = DifferentPixels(*after, *unmoved);
  int differ_from_before = DifferentPixels(*after, *before);
  // The same frame (a few anti-aliased pixels of slack), and far from the others.
  EXPECT_LT(differ_from_moved, 200) << "the window does not show what run shows after the edit and the key";
  EXPECT_GT(differ_from_unmoved, 1000) << "the focus was not kept";
  EXPECT_GT(differ_from_before, 500) << "the new text is not shown";
  EXPECT_GT(DifferentPixels(*moved, *unmoved), 1000);  // the reference can tell focus apart

  EXPECT_EQ(dev_->Interrupt(), 0) << DevErr();  // Ctrl-C ends dev cleanly
}

// F12 writes the frame to dist/, F1 shows and hides the overlay, F5 starts
// the app over (the focus goes back to where a fresh start puts it).
TEST_F(DevWindowTest, F12ScreenshotF1OverlayF5Restart) {
  StartDev();
  Result<std::string> window = server_->FindWindow("wasmship dev: catalog", 240);
  ASSERT_TRUE(window) << window.error().message << "\n" << DevErr();
  std::optional<Canvas> start = Settled(*window);
  ASSERT_TRUE(start) << DevErr();

  ASSERT_TRUE(server_->Key(*window, "F12"));
  ASSERT_TRUE(WaitForLine("screenshot: ", 1, std::chrono::seconds(30))) << DevErr();
  std::vector<std::string> shots;
  for (const fs::directory_entry& entry : fs::directory_iterator(project_ + "/dist")) {
    if (entry.path().filename().string().starts_with("screenshot-")) shots.push_back(entry.path().string());
  }
  ASSERT_EQ(shots.size(), 1u) << DevErr();
  std::string bytes = ReadFile(shots[0]);
  Result<host::Image> shot = host::DecodePng({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  ASSERT_TRUE(shot) << shot.error().message;
  EXPECT_LT(DifferentPixels(*shot, *start), 200) << "the screenshot is not the frame on screen";

  // The overlay's figures change as frames run: look for it, do not wait for a still picture.
  ASSERT_TRUE(server_->Key(*window, "F1"));
  bool overlay_shown = false;
  for (auto end = Clock::now() + std::chrono::seconds(20); Clock::now() < end && !overlay_shown;) {
    Result<Canvas> now = server_->Capture(*window, dir_);
    ASSERT_TRUE(now) << now.error().message;
    overlay_shown = DifferentPixels(*now, *start) > 500;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(overlay_shown) << "F1 drew no overlay";
  ASSERT_TRUE(server_->Key(*window, "F1"));
  std::optional<Canvas> hidden = Settled(*window);
  ASSERT_TRUE(hidden);
  EXPECT_LT(DifferentPixels(*hidden, *start), 200) << "a second F1 did not hide the overlay";

  ASSERT_TRUE(server_->Key(*window, "Right"));
  std::optional<Canvas> moved;
  for (auto end = Clock::now() + std::chrono::seconds(30); Clock::now() < end;) {
    moved = Settled(*window);
    if (!moved || DifferentPixels(*moved, *start) > 1000) break;
  }
  ASSERT_TRUE(moved);
  ASSERT_GT(DifferentPixels(*moved, *start), 1000) << "the Right key changed nothing in the window";
  ASSERT_TRUE(server_->Key(*window, "F5"));
  ASSERT_TRUE(WaitForLine("restarted in", 1, std::chrono::seconds(60))) << DevErr();
  std::optional<Canvas> restarted;
  for (auto end = Clock::now() + std::chrono::seconds(30); Clock::now() < end;) {
    restarted = Settled(*window);
    if (!restarted || DifferentPixels(*restarted, *start) < 200) break;
  }
  ASSERT_TRUE(restarted);
  EXPECT_LT(DifferentPixels(*restarted, *start), 200) << "F5 did not start the app over";

  EXPECT_EQ(dev_->Interrupt(), 0) << DevErr();
}

}  // namespace
}  // namespace ws::e2e
