// Hot reload (WS_HOT_RELOAD builds only): paths of entities in the UI tree
// that a new build of the app finds again. A path is a chain of segments
// from the root: "/N" for the N-th child (counting every child, fragments
// included), or "/#LEN:KEY.N" for the N-th entity of the item known by KEY
// (a rail's item index, a list's key, an `if` branch), whose place among
// its siblings changes as items come, go and move.
#pragma once

#ifdef WS_HOT_RELOAD

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "src/world.h"

namespace ws::hot_reload {

// An entity built as part of an item: the item's key and the entity's
// ordinal among what the item built directly under the item's parent.
struct ItemKey {
  std::string key;
  uint32_t ordinal = 0;
};

Entity Parent(Entity e);
uint32_t RawChildCount(Entity e);
// "/#LEN:KEY"
std::string KeySegment(std::string_view key);
// The path of `e` from the root ("" for the root itself).
std::string PathOf(Entity e);
// The entity at `path` (kNoEntity if it is gone) and the deepest entity of
// the path that still exists (the root at least).
std::pair<Entity, Entity> ResolvePath(std::string_view path);
// The plain child-index path of `e` ("/0/2/1"), for people to read.
std::string TreePath(Entity e);
// `text` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

}  // namespace ws::hot_reload

#endif  // WS_HOT_RELOAD
