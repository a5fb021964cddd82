// The app's lifecycle and frame loop. The wasm exports (exports.cc) call
// these; native tests call them directly with their own root.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "wasmship/builder.hpp"

namespace ws::ui {

// Builds the UI for a width×height screen. 0 = ok.
int32_t StartApp(int32_t width, int32_t height, const Callback<View()>& root);
// One frame: input → focus → effects → animation → layout → resources → render.
// Returns nonzero while the app wants more frames (animations, pending work).
int32_t RunFrame(double now_ms);
int32_t QueueInput(int32_t kind, int32_t key);
// Disposes the whole UI (every scope, entity and reactive node).
void StopApp();

}  // namespace ws::ui
