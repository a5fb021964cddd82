// SDL2, opened with dlopen when the first preview window opens. Linked
// directly, it made every wasmship process (the build's own steps among them)
// load some 45 shared libraries it never used (PulseAudio, Wayland, D-Bus,
// ...): ~30 ms of dynamic loading per process start, and a CI machine needed
// display libraries to build.
#pragma once

#include <SDL.h>

#include "diagnostics/result.h"

namespace ws::host {

// The SDL functions the preview window calls (X: the name without SDL_).
#define WS_SDL_FUNCTIONS(X)                                                                                     \
  X(CreateRenderer) X(CreateTexture) X(CreateWindow) X(DestroyRenderer) X(DestroyTexture) X(DestroyWindow)    \
  X(GetDisplayUsableBounds) X(GetError) X(InitSubSystem) X(PollEvent) X(QuitSubSystem) X(RenderClear)         \
  X(RenderCopy) X(RenderPresent) X(SetHint) X(SetRenderDrawColor) X(SetTextureBlendMode) X(ShowWindow)        \
  X(StartTextInput) X(UpdateTexture) X(WaitEventTimeout)

struct SdlLibrary {
#define WS_SDL_POINTER(name) decltype(&::SDL_##name) name = nullptr;
  WS_SDL_FUNCTIONS(WS_SDL_POINTER)
#undef WS_SDL_POINTER
};

// Loads libSDL2 once (later calls return the same); an error says which
// package provides it.
Result<const SdlLibrary*> LoadSdl();

// The loaded library: only after LoadSdl() succeeded.
const SdlLibrary& Sdl();

}  // namespace ws::host
