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

// Pre-initialization (docs/preinit.md; WS_PREINIT builds only). At build time ws_preinit builds the
// UI for width×height and runs the first frame's systems that do not depend
// on the device (focus, effects, layout); ws::fetch calls made meanwhile are
// deferred, except those the build answers (preinit_fetch): then it returns
// host_abi::kPreinitFetching until their callbacks have run, and each call
// after the build delivered them runs them, the effects and the layout. The
// build snapshots memory afterwards, so a device starts here.
int32_t PreinitApp(int32_t width, int32_t height, const Callback<View()>& root);
// ws_init on a module started from such a snapshot: true when the snapshot's
// UI is for this screen size (the deferred fetches are issued now and the
// snapshot's animations start at the first frame); false when there is no
// snapshot or its size differs, and ws_init must build the UI itself.
bool ResumePreinit(int32_t width, int32_t height);
// True inside ws_preinit: ws::fetch defers its request.
bool Preinitializing();

}  // namespace ws::ui
