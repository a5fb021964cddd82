// Hot reload (`wasmship dev`; WS_HOT_RELOAD builds only): the app's state
// survives a module swap. The old instance saves its signals' values and
// its focus (ws_state_save); a fresh instance of the new build, once
// started and settled, restores them (ws_state_restore).
//
// A signal is known by a key that a new build of the same app finds again:
// its position (where in the UI tree it was created: the builder's parent
// path from the root, each step the child's index, or for items of rails,
// `for` lists and `if` branches their item key; then the index of the
// child the composable is about to add) and its rank among the live
// signals created at that position. Signals created outside any UI build
// (globals, handlers) share one position. A type hash guards the value.
//
// Restore sets every live signal whose key and type match (the UI rebuilds
// through the usual notifications) and keeps the saved values for signals
// created in the frames that follow (a page shown because a restored
// signal changed); that window closes after the first idle frame, when the
// focus is restored too. docs/hot-reload.md has the byte format.
#pragma once

#ifdef WS_HOT_RELOAD

#include <cstdint>
#include <string>
#include <string_view>

#include "src/world.h"
#include "wasmship/reactive.hpp"

namespace ws::hot_reload {

// reactive::CreateSignal calls it for every new signal.
void SignalCreated(NodeId id, reactive::ValueBox& box);
// tree.cc calls it for every new entity, `parent` being the builder's parent.
void NodeCreated(Entity e, Entity parent);
// The end of a frame; `more` is what the frame returns. Returns true when
// the app needs another frame (the restore window closed and moved focus).
bool FrameEnded(bool more);

// While alive, what is built under `parent` is an item known by `key`
// (a rail's item index, a keyed list's key, an `if` branch): positions
// below it use the key, not the item's place among its siblings.
class ItemScope {
 public:
  ItemScope(Entity parent, std::string key);
  ~ItemScope();
  ItemScope(const ItemScope&) = delete;
  ItemScope& operator=(const ItemScope&) = delete;
};

// The state as bytes (format: docs/hot-reload.md).
std::string SaveState();
// Starts a restore from SaveState's bytes; false (and nothing changed) when
// they are not a state this runtime can read.
bool RestoreState(std::string_view bytes);
// {"signals":N,"kept":K,"reset":R,"focus":"..."}
std::string StateInfoJson();

// The instance stops (StopApp): the restore window and its counts end.
void Stop();

// A stable text for the focused element: its first text, else its path
// in the tree ("/0/2/1"); "" when nothing is focused.
std::string FocusName();

}  // namespace ws::hot_reload

#endif  // WS_HOT_RELOAD
