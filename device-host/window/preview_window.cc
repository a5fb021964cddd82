// canvas.h (included by preview_window.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/preview_window.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <optional>

#include "device-host/render/font.h"
#include "device-host/render/utf8.h"
#include "device-host/window/overlay.h"
#include "device-host/window/sdl_library.h"
#include "host-abi/host_abi.h"

namespace ws::host {
namespace {

struct SdlDeleter {
  void operator()(SDL_Window* w) const { Sdl().DestroyWindow(w); }
  void operator()(SDL_Renderer* r) const { Sdl().DestroyRenderer(r); }
  void operator()(SDL_Texture* t) const { Sdl().DestroyTexture(t); }
};
template <typename T>
using SdlPtr = std::unique_ptr<T, SdlDeleter>;

// SDL's video subsystem, held for as long as a window is open (SDL counts
// the holders, so two windows do not shut each other's down).
class VideoSubsystem {
 public:
  VideoSubsystem() = default;
  ~VideoSubsystem() {
    if (held_) Sdl().QuitSubSystem(SDL_INIT_VIDEO);
  }
  VideoSubsystem(const VideoSubsystem&) = delete;
  VideoSubsystem& operator=(const VideoSubsystem&) = delete;

  Status Init() {
    if (Result<const SdlLibrary*> sdl = LoadSdl(); !sdl) return sdl.error();
    // wasmship handles SIGINT itself (a rebuild is interrupted, the session
    // ends cleanly); SDL would otherwise turn it into an SDL_QUIT.
    Sdl().SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (Sdl().InitSubSystem(SDL_INIT_VIDEO) != 0) {
      const char* display = std::getenv("DISPLAY");
      std::string which = display && *display ? "$DISPLAY is \"" + std::string(display) + "\"" : "$DISPLAY is not set";
      return Error{"cannot open the preview window: no display (" + which + "; SDL: " + Sdl().GetError() +
                   "). Run it in a desktop session, set $DISPLAY, or use --headless"};
    }
    held_ = true;
    return {};
  }

 private:
  bool held_ = false;
};

// The largest scale <= 1 at which the device's screen fits the display's
// usable area (without the panels and docks of the desktop).
double FitScale(int width, int height) {
  SDL_Rect usable;
  if (Sdl().GetDisplayUsableBounds(0, &usable) != 0 || usable.w <= 0 || usable.h <= 0) return 1;
  return std::min({1.0, static_cast<double>(usable.w) / width, static_cast<double>(usable.h) / height});
}

std::optional<WindowEvent> KeyEvent(SDL_Keycode key) {
  using K = WindowEvent::Kind;
  switch (key) {
    case SDLK_UP: return WindowEvent{K::kKey, host_abi::kKeyUp};
    case SDLK_DOWN: return WindowEvent{K::kKey, host_abi::kKeyDown};
    case SDLK_LEFT: return WindowEvent{K::kKey, host_abi::kKeyLeft};
    case SDLK_RIGHT: return WindowEvent{K::kKey, host_abi::kKeyRight};
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return WindowEvent{K::kKey, host_abi::kKeySelect};
    case SDLK_BACKSPACE:
    case SDLK_ESCAPE: return WindowEvent{K::kKey, host_abi::kKeyBack};
    case SDLK_F1: return WindowEvent{K::kToggleOverlay, 0};
    case SDLK_F5: return WindowEvent{K::kRestart, 0};
    case SDLK_F12: return WindowEvent{K::kScreenshot, 0};
    default: return std::nullopt;
  }
}

class SdlPreviewWindow final : public PreviewWindow {
 public:
  Status Init(const WindowOptions& options);
  std::vector<WindowEvent> Poll() override;
  void WaitForEvent(int timeout_ms) override;
  void Present(const Canvas& frame, const std::vector<std::string>& overlay_lines, bool error) override;

 private:
  void Translate(const SDL_Event& event);
  void Redraw();

  VideoSubsystem video_;  // first: it must outlive the window, renderer and texture
  std::unique_ptr<Font> font_;
  SdlPtr<SDL_Window> window_;
  SdlPtr<SDL_Renderer> renderer_;
  SdlPtr<SDL_Texture> texture_;
  int texture_width_ = 0;
  int texture_height_ = 0;
  Canvas composed_;  // the frame with its overlay (reused between frames)
  std::deque<WindowEvent> events_;
};

Status SdlPreviewWindow::Init(const WindowOptions& options) {
  if (options.width <= 0 || options.height <= 0) {
    return Error{"cannot open the preview window: the screen size " + std::to_string(options.width) + "x" +
                 std::to_string(options.height) + " is not positive"};
  }
  Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
  if (!font) return Error{"cannot open the preview window: " + font.error().message};
  font_ = std::move(*font);
  if (Status s = video_.Init(); !s) return s;
  double scale = options.scale > 0 ? options.scale : FitScale(options.width, options.height);
  int w = std::max(1, static_cast<int>(std::lround(options.width * scale)));
  int h = std::max(1, static_cast<int>(std::lround(options.height * scale)));
  window_.reset(Sdl().CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                                 SDL_WINDOW_HIDDEN | SDL_WINDOW_ALLOW_HIGHDPI));
  if (!window_) return Error{std::string("cannot open the preview window: ") + Sdl().GetError()};
  // Linear filtering when the window is smaller than the device's screen.
  Sdl().SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
  // SDL's software renderer, never OpenGL: wasmship links Binaryen, which
  // exports its own copy of LLVM's symbols, and Mesa's drivers (llvmpipe,
  // radeonsi) load libLLVM into the process, bind to those and crash. One
  // device frame a refresh is little work for the CPU.
  Sdl().SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  renderer_.reset(Sdl().CreateRenderer(window_.get(), -1, SDL_RENDERER_SOFTWARE));
  if (!renderer_) return Error{std::string("cannot draw in the preview window: ") + Sdl().GetError()};
  Sdl().ShowWindow(window_.get());
  Sdl().StartTextInput();
  Sdl().SetRenderDrawColor(renderer_.get(), 0, 0, 0, 255);
  Sdl().RenderClear(renderer_.get());
  Sdl().RenderPresent(renderer_.get());
  return {};
}

void SdlPreviewWindow::Translate(const SDL_Event& event) {
  using K = WindowEvent::Kind;
  switch (event.type) {
    case SDL_QUIT: events_.push_back({K::kClose, 0}); break;
    case SDL_WINDOWEVENT:
      if (event.window.event == SDL_WINDOWEVENT_CLOSE) events_.push_back({K::kClose, 0});
      // The window was uncovered or resized: show the last frame again, so
      // it is never left blank while the app is idle or a build runs.
      if (event.window.event == SDL_WINDOWEVENT_EXPOSED || event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) Redraw();
      break;
    case SDL_KEYDOWN:
      if (std::optional<WindowEvent> key = KeyEvent(event.key.keysym.sym)) events_.push_back(*key);
      break;
    case SDL_TEXTINPUT: {
      // Characters come as text (after the keyboard layout and dead keys),
      // not as key codes.
      std::string_view text(event.text.text);
      for (uint32_t codepoint : DecodeUtf8(text)) {
        if (static_cast<int32_t>(codepoint) >= host_abi::kFirstCharacterKey) {
          events_.push_back({K::kKey, static_cast<int32_t>(codepoint)});
        }
      }
      break;
    }
    default: break;
  }
}

std::vector<WindowEvent> SdlPreviewWindow::Poll() {
  SDL_Event event;
  while (Sdl().PollEvent(&event)) Translate(event);
  std::vector<WindowEvent> out(events_.begin(), events_.end());
  events_.clear();
  return out;
}

void SdlPreviewWindow::WaitForEvent(int timeout_ms) {
  if (!events_.empty()) return;
  SDL_Event event;
  // The event is translated and queued, not dropped: Poll() returns it.
  if (Sdl().WaitEventTimeout(&event, std::max(0, timeout_ms))) Translate(event);
}

void SdlPreviewWindow::Present(const Canvas& frame, const std::vector<std::string>& overlay_lines, bool error) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.rgba.size() != static_cast<size_t>(frame.width) * frame.height * 4) {
    return;
  }
  if (!texture_ || texture_width_ != frame.width || texture_height_ != frame.height) {
    // RGBA32: the canvas's byte order (R, G, B, A in memory) on any host.
    texture_.reset(Sdl().CreateTexture(renderer_.get(), SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STREAMING,
                                     frame.width, frame.height));
    if (!texture_) return;
    Sdl().SetTextureBlendMode(texture_.get(), SDL_BLENDMODE_NONE);
    texture_width_ = frame.width;
    texture_height_ = frame.height;
  }
  const Canvas* shown = &frame;
  if (!overlay_lines.empty()) {
    composed_ = frame;
    DrawOverlay(composed_, overlay_lines, error, *font_);
    shown = &composed_;
  }
  Sdl().UpdateTexture(texture_.get(), nullptr, shown->rgba.data(), shown->width * 4);
  Redraw();
}

void SdlPreviewWindow::Redraw() {
  if (!renderer_) return;
  Sdl().RenderClear(renderer_.get());
  if (texture_) Sdl().RenderCopy(renderer_.get(), texture_.get(), nullptr, nullptr);
  Sdl().RenderPresent(renderer_.get());
}

}  // namespace

Result<std::unique_ptr<PreviewWindow>> PreviewWindow::Open(const WindowOptions& options) {
  auto window = std::make_unique<SdlPreviewWindow>();
  if (Status s = window->Init(options); !s) return s.error();
  return std::unique_ptr<PreviewWindow>(std::move(window));
}

}  // namespace ws::host
