#ifdef WS_HOT_RELOAD

#include "src/hot_reload_paths.h"

#include <algorithm>
#include <vector>

#include "src/ui_context.h"

namespace ws::hot_reload {
namespace {

using ui::TreeNode;
using ui::Ui;

TreeNode* NodeOf(Entity e) { return Ui().world.Get<TreeNode>(e); }

uint32_t RawIndex(Entity e) {
  uint32_t index = 0;
  for (TreeNode* n = NodeOf(e); n != nullptr && n->prev != kNoEntity; n = NodeOf(n->prev)) ++index;
  return index;
}

std::string Segment(Entity e) {
  if (ItemKey* item = Ui().world.Get<ItemKey>(e)) return KeySegment(item->key) + "." + std::to_string(item->ordinal);
  return "/" + std::to_string(RawIndex(e));
}

// Reads a decimal number at `pos`; false if there is none.
bool ReadNumber(std::string_view text, size_t& pos, uint32_t& out) {
  size_t start = pos;
  uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 10) {
    value = value * 10 + static_cast<uint64_t>(text[pos] - '0');
    ++pos;
  }
  if (pos == start || value > UINT32_MAX) return false;
  out = static_cast<uint32_t>(value);
  return true;
}

Entity NthChild(Entity parent, uint32_t n) {
  TreeNode* p = NodeOf(parent);
  Entity c = p != nullptr ? p->first_child : kNoEntity;
  for (uint32_t i = 0; c != kNoEntity && i < n; ++i) c = NodeOf(c)->next;
  return c;
}

Entity ItemChild(Entity parent, std::string_view key, uint32_t ordinal) {
  TreeNode* p = NodeOf(parent);
  for (Entity c = p != nullptr ? p->first_child : kNoEntity; c != kNoEntity; c = NodeOf(c)->next) {
    ItemKey* item = Ui().world.Get<ItemKey>(c);
    if (item != nullptr && item->key == key && item->ordinal == ordinal) return c;
  }
  return kNoEntity;
}

// One segment at `pos` (which is at its '/'): the child of `parent` it
// names, or kNoEntity (also for a malformed segment, which ends the walk).
Entity Step(std::string_view path, size_t& pos, Entity parent) {
  if (path[pos] != '/' || ++pos >= path.size()) return kNoEntity;
  uint32_t n = 0;
  if (path[pos] != '#') return ReadNumber(path, pos, n) ? NthChild(parent, n) : kNoEntity;
  ++pos;
  uint32_t length = 0, ordinal = 0;
  if (!ReadNumber(path, pos, length) || pos >= path.size() || path[pos] != ':' || path.size() - pos - 1 < length) {
    return kNoEntity;
  }
  std::string_view key = path.substr(pos + 1, length);
  pos += 1 + length;
  if (pos >= path.size() || path[pos] != '.' || !ReadNumber(path, ++pos, ordinal)) return kNoEntity;
  return ItemChild(parent, key, ordinal);
}

// The length of the UTF-8 sequence at `i`, or 0 if it is not valid there.
size_t SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && b < 0xC2) return 0;                             // overlong
  if (n == 3 && b == 0xE0 && byte(i + 1) < 0xA0) return 0;      // overlong
  if (n == 3 && b == 0xED && byte(i + 1) >= 0xA0) return 0;     // surrogates
  if (n == 4 && b == 0xF0 && byte(i + 1) < 0x90) return 0;      // overlong
  if (n == 4 && (b > 0xF4 || (b == 0xF4 && byte(i + 1) >= 0x90))) return 0;  // beyond U+10FFFF
  return n;
}

}  // namespace

Entity Parent(Entity e) {
  TreeNode* n = NodeOf(e);
  return n != nullptr ? n->parent : kNoEntity;
}

uint32_t RawChildCount(Entity e) {
  TreeNode* n = NodeOf(e);
  if (n == nullptr || n->last_child == kNoEntity) return 0;
  return RawIndex(n->last_child) + 1;
}

std::string KeySegment(std::string_view key) {
  return "/#" + std::to_string(key.size()) + ":" + std::string(key);
}

std::string PathOf(Entity e) {
  std::vector<std::string> segments;
  for (Entity c = e; c != kNoEntity && c != Ui().root; c = Parent(c)) segments.push_back(Segment(c));
  std::string path;
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) path += *it;
  return path;
}

std::pair<Entity, Entity> ResolvePath(std::string_view path) {
  Entity at = Ui().root;
  for (size_t pos = 0; pos < path.size();) {
    Entity next = Step(path, pos, at);
    if (next == kNoEntity) return {kNoEntity, at};
    at = next;
  }
  return {at, at};
}

std::string TreePath(Entity e) {
  std::vector<uint32_t> indexes;
  for (Entity c = e; c != kNoEntity && c != Ui().root; c = Parent(c)) indexes.push_back(RawIndex(c));
  std::string path;
  for (auto it = indexes.rbegin(); it != indexes.rend(); ++it) path += "/" + std::to_string(*it);
  return path.empty() ? "/" : path;
}

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace ws::hot_reload

#endif  // WS_HOT_RELOAD
