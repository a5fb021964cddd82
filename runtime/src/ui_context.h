// The state of the running UI: the world of entities, the tree's root, the
// focus, queued input and resources, and per-frame statistics. One per app
// instance; systems and builder functions reach it through Ui().
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "host-abi/host_abi.h"
#include "src/components.h"
#include "src/draw_list_writer.h"
#include "src/world.h"
#include "wasmship/app.hpp"

namespace ws::ui {

struct InputEvent {
  int32_t kind = 0;
  int32_t key = 0;
};

using host_abi::Key;
using enum host_abi::Key;  // kKeyUp, ...

struct FetchCompletion {
  int32_t request = 0;
  int32_t status = 0;
  std::string body;
};

struct FrameStats {
  uint32_t laid_out = 0;       // nodes whose layout was recomputed this frame
  uint32_t draw_commands = 0;  // commands in the submitted list (0: nothing submitted)
  bool submitted = false;
};

struct UiContext {
  World world;
  Entity root = kNoEntity;
  Scope root_scope;
  float screen_w = 1280;
  float screen_h = 720;
  double now_ms = 0;
  std::vector<Entity> parents;  // the builder's current parent is back()
  Entity focused = kNoEntity;
  bool render_dirty = true;
  std::deque<InputEvent> input;
  // Resources.
  std::map<std::pair<std::string, int>, std::pair<float, float>> text_sizes;
  std::map<std::string, ImageContent::State> image_states;  // by URL
  std::map<std::string, int32_t> image_ids;                 // URL → host image id
  std::map<int32_t, std::string> image_requests;            // request → URL
  std::map<int32_t, Callback<void(const FetchResult&)>> fetches;
  std::vector<FetchCompletion> completions;
#ifdef WS_PREINIT
  // ws::fetch calls made during pre-initialization, sent by ws_init on the device.
  std::vector<std::pair<std::string, Callback<void(const FetchResult&)>>> deferred_fetches;
#endif
  DrawListWriter draw_list;
  // The threads variant's per-subtree pieces of draw_list, kept across
  // frames so that their buffers are reused.
  std::vector<DrawListWriter> draw_list_parts;
  FrameStats stats;
};

UiContext& Ui();
// Starts over with an empty world (the app instance restarts, or a test begins).
void ResetUi();

}  // namespace ws::ui
