#ifdef WS_HOT_RELOAD

#include "src/hot_reload.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "src/focus.h"
#include "src/hot_reload_paths.h"
#include "src/reactive_graph.h"
#include "src/tree.h"

namespace ws::hot_reload {
namespace {

using ui::Ui;

constexpr uint32_t kMagic = 0x52485357;  // "WSHR" in memory (little-endian)
constexpr uint32_t kFormat = 1;
// An app that never goes idle (an endless animation) still gets its focus
// back: the window closes after this many frames at the latest.
constexpr int kMaxWindowFrames = 600;
// Where signals created outside any UI build are.
constexpr const char* kGlobalPosition = "g";

struct OpenItem {
  Entity parent = kNoEntity;
  std::string key;
  uint32_t next = 0;  // the ordinal of the item's next entity
};

struct Record {
  NodeId id;
  std::string position;
  uint32_t order = 0;
};

struct Saved {
  uint64_t type_hash = 0;
  bool saveable = false;
  std::string value;
};
using Key = std::pair<std::string, uint32_t>;

enum class Outcome : uint8_t { kKept, kReset };

struct HotState {
  std::vector<OpenItem> open_items;
  std::vector<Record> records;  // by NodeId index
  std::map<std::string, std::vector<NodeId>> at_position;
  uint32_t created_since_sweep = 0;
  // The restore window.
  bool window = false;
  int window_frames = 0;
  std::map<Key, Saved> saved;
  std::string saved_focus;
  std::map<uint32_t, std::pair<NodeId, Outcome>> outcomes;  // by NodeId index
  // The last restore's counts, once its window closed.
  uint32_t kept = 0;
  uint32_t reset = 0;
};

HotState& H() {
  static HotState state;
  return state;
}

const Record* LiveRecord(const HotState& h, uint32_t index) {
  if (index >= h.records.size()) return nullptr;
  const Record& r = h.records[index];
  return r.id.index != 0 && reactive::Alive(r.id) ? &r : nullptr;
}

std::string PositionForNewSignal(const HotState& h) {
  ui::UiContext& ui = Ui();
  if (ui.parents.empty()) return kGlobalPosition;
  Entity parent = ui.parents.back();
  std::string position = PathOf(parent);
  if (!h.open_items.empty() && h.open_items.back().parent == parent) {
    const OpenItem& item = h.open_items.back();
    position += KeySegment(item.key) + "@" + std::to_string(item.next);
  } else {
    position += "@" + std::to_string(RawChildCount(parent));
  }
  return position;
}

// The signal's rank among the live ones created at `position` before it.
uint32_t Rank(HotState& h, const std::string& position, NodeId id) {
  std::vector<NodeId>& live = h.at_position[position];
  std::erase_if(live, [](NodeId other) { return !reactive::Alive(other); });
  live.push_back(id);
  auto order = static_cast<uint32_t>(live.size() - 1);
  if (++h.created_since_sweep >= 1024) {  // drop positions whose signals are all gone
    h.created_since_sweep = 0;
    for (auto it = h.at_position.begin(); it != h.at_position.end();) {
      std::erase_if(it->second, [](NodeId other) { return !reactive::Alive(other); });
      it = it->second.empty() ? h.at_position.erase(it) : std::next(it);
    }
  }
  return order;
}

// Gives `r`'s signal its saved value, if the saved state has its key.
void Apply(HotState& h, const Record& r, reactive::ValueBox& box, bool notify) {
  auto it = h.saved.find({r.position, r.order});
  if (it == h.saved.end()) return;  // new since the save: keeps its initial value
  const Saved& s = it->second;
  bool kept = false;
  if (s.saveable && box.Saveable() && s.type_hash == box.TypeHash()) {
    state::LoadResult result = box.Load(s.value);
    kept = result != state::LoadResult::kFailed;
    if (result == state::LoadResult::kChanged && notify) reactive::NotifyChanged(r.id);
  }
  h.outcomes[r.id.index] = {r.id, kept ? Outcome::kKept : Outcome::kReset};
}

bool IsFocusable(Entity e) {
  ui::Focusable* f = Ui().world.Get<ui::Focusable>(e);
  return f != nullptr && f->focusable;
}

Entity FirstFocusableAtOrBelow(Entity a) {
  if (IsFocusable(a)) return a;
  Entity found = kNoEntity;
  ui::WalkTree(a, [&](Entity e) {
    if (found == kNoEntity && IsFocusable(e)) found = e;
    return found == kNoEntity;
  });
  return found;
}

bool IsAtOrBelow(Entity e, Entity ancestor) {
  for (; e != kNoEntity; e = Parent(e)) {
    if (e == ancestor) return true;
  }
  return false;
}

// The saved focus path's element if it is focusable, else the nearest
// focusable at or below its nearest existing ancestor (short of the root:
// when the whole branch is gone, the app's own focus stays). Returns
// whether the focus moved.
bool RestoreFocus(const std::string& path) {
  ui::UiContext& ui = Ui();
  if (path.empty()) return false;  // nothing was focused
  auto [found, deepest] = ResolvePath(path);
  Entity target = found != kNoEntity && IsFocusable(found) ? found : kNoEntity;
  for (Entity a = deepest; target == kNoEntity && a != kNoEntity && a != ui.root; a = Parent(a)) {
    if (IsAtOrBelow(ui.focused, a)) return false;  // the app already focused something there
    target = FirstFocusableAtOrBelow(a);
  }
  if (target == kNoEntity || target == ui.focused) return false;
  ui::SetFocus(target, /*animate=*/false);
  return true;
}

std::pair<uint32_t, uint32_t> CountOutcomes(const HotState& h) {
  uint32_t kept = 0, reset = 0;
  for (const auto& [index, outcome] : h.outcomes) {
    if (!reactive::Alive(outcome.first)) continue;
    (outcome.second == Outcome::kKept ? kept : reset) += 1;
  }
  return {kept, reset};
}

bool CloseWindow(HotState& h) {
  h.window = false;
  bool moved = RestoreFocus(h.saved_focus);
  std::tie(h.kept, h.reset) = CountOutcomes(h);
  h.saved.clear();
  h.saved_focus.clear();
  h.outcomes.clear();
  return moved || reactive::HasPendingEffects();
}

void PutU64(std::string& out, uint64_t v) {
  state::PutU32(out, static_cast<uint32_t>(v));
  state::PutU32(out, static_cast<uint32_t>(v >> 32));
}

void PutBytes(std::string& out, std::string_view bytes) {
  state::PutU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

bool ReadBytes(state::Reader& r, std::string& out) {
  uint32_t size = 0;
  if (!r.U32(size) || size > r.remaining()) return false;
  out.resize(size);
  return r.Take(out.data(), size);
}

struct Parsed {
  std::map<Key, Saved> saved;
  std::string focus;
};

bool Parse(std::string_view bytes, Parsed& out) {
  state::Reader r(bytes);
  uint32_t magic = 0, format = 0, count = 0;
  if (!r.U32(magic) || magic != kMagic || !r.U32(format) || format != kFormat || !r.U32(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    Key key;
    Saved s;
    uint32_t hash_low = 0, hash_high = 0;
    uint8_t flags = 0;
    if (!ReadBytes(r, key.first) || !r.U32(key.second) || !r.U32(hash_low) || !r.U32(hash_high) ||
        !r.Take(&flags, 1) || flags > 1 || !ReadBytes(r, s.value)) {
      return false;
    }
    s.type_hash = static_cast<uint64_t>(hash_high) << 32 | hash_low;
    s.saveable = flags == 1;
    out.saved.emplace(std::move(key), std::move(s));
  }
  return ReadBytes(r, out.focus) && r.AtEnd();
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : ValidUtf8(text)) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

void SignalCreated(NodeId id, reactive::ValueBox& box) {
  HotState& h = H();
  std::string position = PositionForNewSignal(h);
  uint32_t order = Rank(h, position, id);
  if (h.records.size() <= id.index) h.records.resize(id.index + 1);
  Record& r = h.records[id.index];
  r = {id, std::move(position), order};
  // Nothing reads a new signal yet: no notification needed.
  if (h.window) Apply(h, r, box, /*notify=*/false);
}

void NodeCreated(Entity e, Entity parent) {
  HotState& h = H();
  if (h.open_items.empty() || h.open_items.back().parent != parent) return;
  OpenItem& item = h.open_items.back();
  Ui().world.Add<ItemKey>(e, {item.key, item.next++});
}

bool FrameEnded(bool more) {
  HotState& h = H();
  if (!h.window) return false;
  ++h.window_frames;
  if (more && h.window_frames < kMaxWindowFrames) return false;
  return CloseWindow(h);
}

ItemScope::ItemScope(Entity parent, std::string key) { H().open_items.push_back({parent, std::move(key), 0}); }
ItemScope::~ItemScope() { H().open_items.pop_back(); }

std::string SaveState() {
  const HotState& h = H();
  std::vector<const Record*> live;
  for (uint32_t i = 0; i < h.records.size(); ++i) {
    if (const Record* r = LiveRecord(h, i)) live.push_back(r);
  }
  std::sort(live.begin(), live.end(), [](const Record* a, const Record* b) {
    return std::tie(a->position, a->order) < std::tie(b->position, b->order);
  });
  // Saved during a restore's window (a reload before the app settled): the
  // values not taken yet (a page not built yet) are carried over as they were.
  std::map<Key, const Saved*> carried;
  if (h.window) {
    for (const auto& [key, saved] : h.saved) carried.emplace(key, &saved);
    for (const Record* r : live) carried.erase({r->position, r->order});
  }
  std::string out;
  state::PutU32(out, kMagic);
  state::PutU32(out, kFormat);
  state::PutU32(out, static_cast<uint32_t>(live.size() + carried.size()));
  for (const auto& [key, saved] : carried) {
    PutBytes(out, key.first);
    state::PutU32(out, key.second);
    PutU64(out, saved->type_hash);
    out.push_back(saved->saveable ? 1 : 0);
    PutBytes(out, saved->value);
  }
  std::string value;
  for (const Record* r : live) {
    reactive::ValueBox* box = reactive::Peek(r->id);
    bool saveable = box != nullptr && box->Saveable();
    value.clear();
    if (saveable) box->Save(value);
    PutBytes(out, r->position);
    state::PutU32(out, r->order);
    PutU64(out, box != nullptr ? box->TypeHash() : 0);
    out.push_back(saveable ? 1 : 0);
    PutBytes(out, value);
  }
  ui::UiContext& ui = Ui();
  if (h.window && !h.saved_focus.empty()) {
    PutBytes(out, h.saved_focus);  // not restored yet
  } else {
    PutBytes(out, ui.world.Alive(ui.focused) ? PathOf(ui.focused) : std::string());
  }
  return out;
}

bool RestoreState(std::string_view bytes) {
  Parsed parsed;
  if (!Parse(bytes, parsed)) return false;
  HotState& h = H();
  h.saved = std::move(parsed.saved);
  h.saved_focus = std::move(parsed.focus);
  h.window = true;
  h.window_frames = 0;
  h.outcomes.clear();
  h.kept = h.reset = 0;
  // A copy: notifications may create or dispose signals (when effects are
  // not deferred), which changes the records.
  std::vector<Record> live;
  for (uint32_t i = 0; i < h.records.size(); ++i) {
    if (const Record* r = LiveRecord(h, i)) live.push_back(*r);
  }
  for (const Record& r : live) {
    if (reactive::ValueBox* box = reactive::Peek(r.id)) Apply(h, r, *box, /*notify=*/true);
  }
  return true;
}

std::string StateInfoJson() {
  const HotState& h = H();
  uint32_t signals = 0;
  for (uint32_t i = 0; i < h.records.size(); ++i) signals += LiveRecord(h, i) != nullptr ? 1 : 0;
  auto [kept, reset] = h.window ? CountOutcomes(h) : std::make_pair(h.kept, h.reset);
  std::string out = "{\"signals\":" + std::to_string(signals) + ",\"kept\":" + std::to_string(kept) +
                    ",\"reset\":" + std::to_string(reset) + ",\"focus\":";
  AppendJsonString(out, FocusName());
  out += '}';
  return out;
}

void Stop() {
  HotState& h = H();
  h.open_items.clear();
  h.window = false;
  h.saved.clear();
  h.saved_focus.clear();
  h.outcomes.clear();
  h.kept = h.reset = 0;
}

std::string FocusName() {
  ui::UiContext& ui = Ui();
  if (!ui.world.Alive(ui.focused)) return "";
  std::string text;
  auto take_text = [&](Entity e) {
    if (!text.empty()) return false;
    ui::TextContent* t = ui.world.Get<ui::TextContent>(e);
    if (t != nullptr && !t->text.empty()) text = t->text;
    return text.empty();
  };
  if (take_text(ui.focused)) ui::WalkTree(ui.focused, take_text);
  return text.empty() ? TreePath(ui.focused) : text;
}

}  // namespace ws::hot_reload

#endif  // WS_HOT_RELOAD
