// The shelves: a scrolling column of rails of poster tiles. Back returns to
// the profiles; focus comes back to the tile it left from.
#include "app_state.h"
#include "pages.h"
#include "theme.h"

namespace {

const Shelf& ShelfAt(int shelf) { return State().catalog->shelves[static_cast<size_t>(shelf)]; }

void Remember(int shelf, int index) {
  State().shelf.set(shelf);
  State().title.set(index);
}

bool WasFocused(int shelf, int index) {
  return shelf == State().shelf.peek() && index == State().title.peek();
}

std::vector<int> ShelfIndexes() {
  std::vector<int> indexes;
  for (size_t i = 0; i < State().catalog->shelves.size(); ++i) indexes.push_back(static_cast<int>(i));
  return indexes;
}

}  // namespace

UI_COMPOSABLE ws::View PosterTile(const Title& title, int shelf, int index) {
  auto focused = ws::signal(false);
  return compose(R"ui(
    Column(width: 240, gap: 10, focusable: true, autofocus: {WasFocused(shelf, index)},
           on_focus: {focused.set(true); Remember(shelf, index)}, on_blur: {focused.set(false)},
           on_select: {State().page.set(Page::Details)}) {
      Stack(width: 240, height: 135, transition: 150ms, scale: {focused() ? theme::kFocusScale : 1.0f}) {
        Image(width: 240, height: 135, radius: 8, src: {title.image})
        Box(width: 240, height: 135, radius: 8, border_width: 3,
            border_color: {focused() ? theme::kFocusRing : theme::kNoRing})
      }
      Text(text: {title.name}, size: 20, color: {focused() ? theme::kText : theme::kMuted})
    }
  )ui");
}

UI_COMPOSABLE ws::View ShelfRow(int shelf) {
  return compose(R"ui(
    Column(gap: 14) {
      Row(padding: {ws::Edges(0, 64)}) { Text(text: {ShelfAt(shelf).name}, size: 28) }
      Rail(width: 100%, padding: {ws::Edges(12, 64)}, gap: 24, item_width: 240, item_height: 175,
           count: {static_cast<int>(ShelfAt(shelf).titles.size())},
           initial_index: {shelf == State().shelf.peek() ? State().title.peek() : 0},
           item: {[shelf](int i) { PosterTile(ShelfAt(shelf).titles[static_cast<size_t>(i)], shelf, i); }})
    }
  )ui");
}

UI_COMPOSABLE ws::View CollectionsPage() {
  const Profile& viewer = State().catalog->profiles[static_cast<size_t>(State().profile.peek())];
  return compose(R"ui(
    Column(width: 100%, height: 100%, padding: {ws::Edges(40, 0)}, gap: 28, clip: true, scroll: true,
           on_back: {State().page.set(Page::Profiles)}) {
      Row(padding: {ws::Edges(0, 64)}, gap: 16, align: Center) {
        Image(width: 48, height: 48, radius: 24, src: {viewer.avatar})
        Text(text: {viewer.name + "'s catalog"}, style: Title)
      }
      for shelf in {ShelfIndexes()} { ShelfRow(shelf: {shelf}) }
    }
  )ui");
}
