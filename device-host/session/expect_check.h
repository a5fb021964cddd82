// Checking an `expect:` step against the state of a run: the focused
// element, the texts on screen, the traps so far, frame times, and the
// screen against its golden image (read, or written when recording).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "device-host/device_host.h"
#include "device-host/render/draw_list.h"
#include "device-host/render/font.h"
#include "device-host/render/rasterizer.h"
#include "device-host/session/key_script.h"

namespace ws::host {

// What the run knows when it reaches the step.
struct ExpectContext {
  const DrawList* frame = nullptr;  // the last draw list the app submitted
  const ImageStore* images = nullptr;
  Font* font = nullptr;
  int width = 0;
  int height = 0;
  std::optional<std::string> focus;  // nullopt: the app cannot say (see focus_unknown)
  std::string focus_unknown;         // why the focus is not known
  size_t traps = 0;                  // since the run began
  std::string first_trap;            // "unreachable in ws_frame at frame 12"
  std::vector<double> frame_ms;      // the frames the step's timing check covers
};

// Checks every field `expect` sets; failures name what was expected and
// what was found. Golden files, actual and diff images are written
// atomically (never half a PNG over a good one).
ExpectRecord CheckExpect(const Expect& expect, int line, const ExpectContext& context);

}  // namespace ws::host
