// One title: its poster, facts and actions. Back returns to the shelves.
#include "app_state.h"
#include "pages.h"
#include "theme.h"

namespace {

const Title& Current() {
  return State().catalog->shelves[static_cast<size_t>(State().shelf.peek())].titles[static_cast<size_t>(
      State().title.peek())];
}

// Without printf, whose float formatting alone is about 8 KB of the module.
std::string Facts(const Title& title) {
  return std::to_string(title.year) + "  \u2022  " + std::to_string(title.minutes) + " min  \u2022  \u2605 " +
         ws::FormatFixed(title.rating, 1);
}

}  // namespace

UI_COMPOSABLE ws::View ActionButton(const std::string& label, bool autofocus, ws::Handler on_press) {
  auto focused = ws::signal(false);
  return compose(R"ui(
    Box(padding: {ws::Edges(14, 32)}, radius: 8, transition: 120ms, focusable: true, autofocus: {autofocus},
        on_select: {on_press()}, on_focus: {focused.set(true)}, on_blur: {focused.set(false)},
        background: {focused() ? theme::kText : theme::kButton}) {
      Text(text: {label}, size: 24, color: {focused() ? ws::Color(0x111111FFu) : theme::kText})
    }
  )ui");
}

UI_COMPOSABLE ws::View DetailsPage() {
  const Title& title = Current();
  return compose(R"ui(
    Row(width: 100%, height: 100%, padding: 64, gap: 48, align: Center,
        on_back: {State().page.set(Page::Collections)}) {
      Image(width: 640, height: 360, radius: 12, src: {title.image})
      Column(gap: 22) {
        Text(text: {title.name}, style: Headline)
        Text(text: {Facts(title)}, color: {theme::kMuted})
        Text(text: "A new story from the catalog, ready to play.", size: 22, color: {theme::kMuted})
        Row(gap: 20) {
          ActionButton(label: "Play", autofocus: true, on_press: {ws::log("play requested")})
          ActionButton(label: "My list", autofocus: false, on_press: {ws::log("added to my list")})
        }
      }
    }
  )ui");
}
