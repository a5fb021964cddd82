// Who's watching? One tile per profile; select opens the collections.
#include "app_state.h"
#include "pages.h"
#include "theme.h"

namespace {

void Pick(int index) {
  State().profile.set(index);
  State().shelf.set(0);
  State().title.set(0);
  State().page.set(Page::Collections);
}

std::vector<int> ProfileIndexes() {
  std::vector<int> indexes;
  for (size_t i = 0; i < State().catalog->profiles.size(); ++i) indexes.push_back(static_cast<int>(i));
  return indexes;
}

}  // namespace

UI_COMPOSABLE ws::View ProfileTile(const Profile& profile, int index) {
  auto focused = ws::signal(false);
  return compose(R"ui(
    Column(width: 200, gap: 16, align: Center, focusable: true, autofocus: {index == State().profile.peek()},
           on_focus: {focused.set(true)}, on_blur: {focused.set(false)}, on_select: {Pick(index)}) {
      Image(width: 160, height: 160, radius: 80, transition: 150ms, src: {profile.avatar},
            scale: {focused() ? 1.12f : 1.0f})
      Text(text: {profile.name}, style: Title, color: {focused() ? theme::kText : theme::kMuted})
      if {profile.kids} { Text(text: "Kids", color: #FFCC00, style: Caption) }
    }
  )ui");
}

UI_COMPOSABLE ws::View ProfilesPage() {
  return compose(R"ui(
    Column(width: 100%, height: 100%, gap: 56, align: Center, justify: Center) {
      Text(text: "Who's watching?", style: Headline)
      Row(gap: 48, align: Start) {
        for i in {ProfileIndexes()} {
          ProfileTile(profile: {State().catalog->profiles[static_cast<size_t>(i)]}, index: {i})
        }
      }
    }
  )ui");
}
