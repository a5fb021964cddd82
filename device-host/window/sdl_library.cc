#include "device-host/window/sdl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace ws::host {
namespace {

constexpr const char* kSoname = "libSDL2-2.0.so.0";

struct Loaded {
  SdlLibrary library;
  std::string error;
};

Loaded Load() {
  Loaded loaded;
  // Never closed: SDL's own threads and atexit handlers may outlive a window.
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    loaded.error = std::string("cannot load SDL2 for the preview window (") + (why ? why : kSoname) +
                   "); install it with: sudo apt-get install libsdl2-2.0-0, or use --headless";
    return loaded;
  }
#define WS_SDL_RESOLVE(name)                                                                                  \
  loaded.library.name = reinterpret_cast<decltype(&::SDL_##name)>(dlsym(handle, "SDL_" #name));              \
  if (loaded.library.name == nullptr && loaded.error.empty()) {                                              \
    loaded.error = std::string(kSoname) + " has no SDL_" #name "; install SDL 2.0.18 or later (libsdl2-2.0-0)"; \
  }
  WS_SDL_FUNCTIONS(WS_SDL_RESOLVE)
#undef WS_SDL_RESOLVE
  return loaded;
}

const Loaded& Library() {
  static const Loaded loaded = Load();
  return loaded;
}

}  // namespace

Result<const SdlLibrary*> LoadSdl() {
  const Loaded& loaded = Library();
  if (!loaded.error.empty()) return Error{loaded.error};
  return &loaded.library;
}

const SdlLibrary& Sdl() { return Library().library; }

}  // namespace ws::host
