// The components of UI entities. Widgets' props (wasmship/props.hpp) are
// split into these on creation and on every bound change, so that each
// system reads only what it needs: layout reads TreeNode/Style/LayoutBox,
// animation writes Display, render reads Display and content, and so on.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/world.h"
#include "wasmship/props.hpp"
#include "wasmship/reactive.hpp"

namespace ws::ui {

enum class Widget : uint8_t { kRoot, kRow, kColumn, kStack, kBox, kGrid, kText, kImage, kSpacer, kRail, kFragment };

// Tree links. Fragments (the anchors of `if` and `for`) are transparent:
// layout, focus order and rendering see their children in their place.
struct TreeNode {
  Entity parent = kNoEntity;
  Entity first_child = kNoEntity;
  Entity last_child = kNoEntity;
  Entity prev = kNoEntity;
  Entity next = kNoEntity;
  Widget widget = Widget::kBox;
};

struct Style {
  Length width;
  Length height;
  Edges padding;
  float gap = 0;
  Align align = Align::Start;
  Justify justify = Justify::Start;
  bool clip = false;
  bool scroll = false;
  int columns = 1;
  float grow = 0;
  uint32_t background = 0;
  uint32_t border_color = 0;
  float radius = 0;
  float border_width = 0;
  float opacity = 1;
  float scale = 1;
  float transition_ms = 0;
};

// Layout's result: the box relative to the parent's box, plus what the
// incremental layout needs to skip clean subtrees.
struct LayoutBox {
  float x = 0, y = 0, w = 0, h = 0;
  float avail_w = -1, avail_h = -1;  // constraints of the last layout
  bool laid_out = false;
  bool dirty = true;           // this node's own spec or content changed
  bool subtree_dirty = false;  // something below changed
};

// What is on screen now: equal to the layout and style once animations
// settle, in between while they run.
struct Display {
  float x = 0, y = 0, w = 0, h = 0;  // consecutive: animated as one rect
  float opacity = 1;
  float scale = 1;
  uint32_t background = 0;
  bool placed = false;  // has been given a position once (first layout snaps)
};

struct TextContent {
  std::string text;
  float size = 24;
  uint32_t color = 0xFFFFFFFF;
  float width = 0, height = 0;
  bool measured = false;
};

struct ImageContent {
  enum class State : uint8_t { kIdle, kLoading, kLoaded, kFailed };
  std::string src;
  uint32_t placeholder = 0;
  int32_t image = 0;
  State state = State::kIdle;
};

struct Focusable {
  bool focusable = false;
  bool autofocus = false;
  Handler on_select;
  Handler on_focus;
  Handler on_blur;
  Handler on_back;
};

// Scroll position of a rail (x) or a scrolling column (y).
struct ScrollState {
  float offset = 0;
  float target = 0;
  float from = 0;
  double start_ms = -1;  // animation start; < 0 when idle
};

struct RailItem {
  Scope scope;
  Entity entity = kNoEntity;
};

struct RailState {
  int count = 0;
  float item_width = 0;
  float item_height = 0;
  float gap = 0;
  int initial_index = 0;
  bool initialized = false;
  Callback<void(int)> item;
  Scope scope;  // owner of the item scopes
  std::map<int, RailItem> items;
};

// kRect moves and resizes together (a layout animation): x, y, w, h.
enum class TweenProperty : uint8_t { kRect, kOpacity, kScale, kBackground };

struct Tween {
  TweenProperty property;
  float from[4] = {};  // kRect: x y w h; kOpacity, kScale: from[0]
  float to[4] = {};
  uint32_t from_rgba = 0, to_rgba = 0;  // kBackground
  double start_ms = 0;
  float duration_ms = 0;
};

struct Tweens {
  std::vector<Tween> active;
};

}  // namespace ws::ui
