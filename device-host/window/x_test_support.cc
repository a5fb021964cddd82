// canvas.h (included by x_test_support.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/window/x_test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "platform/subprocess.h"

namespace ws::host {
namespace {

// Reads what Xvfb writes on -displayfd: the display number and a newline.
Result<std::string> ReadDisplayNumber(int fd, int timeout_ms) {
  std::string number;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (number.empty() || number.back() != '\n') {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    pollfd pfd{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&pfd, 1, left) <= 0) return Error{"Xvfb did not report its display in time"};
    char buffer[16];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return Error{"Xvfb exited before it reported its display (is xvfb installed? scripts/setup)"};
    number.append(buffer, static_cast<size_t>(n));
  }
  number.pop_back();
  return ":" + number;
}

uint32_t ReadCard32(std::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return value;  // xwd's header is big-endian
}

uint8_t Channel(uint32_t pixel, uint32_t mask) {
  if (mask == 0) return 0;
  uint32_t bits = (pixel & mask) >> std::countr_zero(mask);
  uint32_t max = mask >> std::countr_zero(mask);
  return static_cast<uint8_t>(bits * 255 / max);
}

}  // namespace

Result<std::unique_ptr<XServer>> XServer::Start(int width, int height) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error{std::string("pipe: ") + std::strerror(errno)};
  // Everything the child needs is made before fork(): after it, in a
  // process with threads, only async-signal-safe calls are allowed.
  std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
  std::string fd = std::to_string(fds[1]);
  pid_t pid = ::fork();
  if (pid < 0) return Error{std::string("fork: ") + std::strerror(errno)};
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives a crashed test
    ::fcntl(fds[1], F_SETFD, 0);         // Xvfb writes its display number on it
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp",
             "-noreset", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  Result<std::string> display = ReadDisplayNumber(fds[0], 30000);
  ::close(fds[0]);
  if (!display) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return display.error();
  }
  return std::unique_ptr<XServer>(new XServer(pid, *display));
}

XServer::~XServer() {
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

Result<std::string> XServer::Run(std::vector<std::string> argv, double timeout_s) const {
  argv.insert(argv.begin(), {"env", "DISPLAY=" + display_});
  Result<ProcessResult> result = RunProcess(argv, {.cwd = "", .timeout_s = timeout_s});
  if (!result) return result.error();
  if (!result->Succeeded()) return Error{argv[2] + " failed (" + result->Describe() + "): " + result->output};
  return result->output;
}

Result<std::string> XServer::FindWindow(const std::string& title, double timeout_s) const {
  // --sync waits until such a window exists and is mapped.
  Result<std::string> out = Run({"xdotool", "search", "--sync", "--onlyvisible", "--name", title}, timeout_s);
  if (!out) return Error{"no window titled \"" + title + "\" appeared: " + out.error().message};
  std::istringstream lines(*out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) return line;
  }
  return Error{"xdotool found no window id in: " + *out};
}

Status XServer::Focus(const std::string& window) const {
  if (Result<std::string> r = Run({"xdotool", "windowfocus", "--sync", window}); !r) return r.error();
  return {};
}

Status XServer::Key(const std::string& window, const std::string& keysym) const {
  if (Status s = Focus(window); !s) return s;
  if (Result<std::string> r = Run({"xdotool", "key", "--clearmodifiers", keysym}); !r) return r.error();
  return {};
}

Result<Canvas> XServer::Capture(const std::string& window, const std::string& scratch_dir) const {
  std::string file = scratch_dir + "/capture.xwd";
  if (Result<std::string> r = Run({"xwd", "-silent", "-id", window, "-out", file}); !r) return r.error();
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseXwd(bytes);
}

Result<Canvas> ParseXwd(std::string_view bytes) {
  constexpr size_t kHeaderSize = 100;  // 25 CARD32s; the window's name follows
  if (bytes.size() < kHeaderSize) return Error{"xwd: file too short"};
  uint32_t header_size = ReadCard32(bytes, 0);
  uint32_t format = ReadCard32(bytes, 8);
  int width = static_cast<int>(ReadCard32(bytes, 16));
  int height = static_cast<int>(ReadCard32(bytes, 20));
  uint32_t byte_order = ReadCard32(bytes, 28);  // 0: least significant byte first
  uint32_t bits_per_pixel = ReadCard32(bytes, 44);
  uint32_t bytes_per_line = ReadCard32(bytes, 48);
  uint32_t red = ReadCard32(bytes, 56), green = ReadCard32(bytes, 60), blue = ReadCard32(bytes, 64);
  uint32_t colors = ReadCard32(bytes, 76);
  if (format != 2 || (bits_per_pixel != 32 && bits_per_pixel != 24)) {
    return Error{"xwd: only TrueColor ZPixmap dumps of 24 or 32 bits a pixel are read"};
  }
  size_t data = header_size + static_cast<size_t>(colors) * 12;
  if (width <= 0 || height <= 0 || bytes.size() < data + static_cast<size_t>(bytes_per_line) * height) {
    return Error{"xwd: truncated image"};
  }
  Canvas canvas(width, height);
  size_t pixel_bytes = bits_per_pixel / 8;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const char* p = bytes.data() + data + static_cast<size_t>(y) * bytes_per_line + x * pixel_bytes;
      uint32_t pixel = 0;
      for (size_t i = 0; i < pixel_bytes; ++i) {
        uint32_t b = static_cast<uint8_t>(p[i]);
        pixel |= byte_order == 0 ? b << (8 * i) : b << (8 * (pixel_bytes - 1 - i));
      }
      uint8_t* out = &canvas.rgba[(static_cast<size_t>(y) * width + x) * 4];
      out[0] = Channel(pixel, red);
      out[1] = Channel(pixel, green);
      out[2] = Channel(pixel, blue);
      out[3] = 255;
    }
  }
  return canvas;
}

}  // namespace ws::host
