// {expr} on a data prop follows signals; {...} on an on_* prop is a handler.
#include <string>
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Counter(int step = 1) {
  auto count = ws::signal(0);
  auto focused = ws::signal(false);
  return compose(R"ui(
    Box(focusable: true, scale: {focused() ? 1.1f : 1.0f},
        on_focus: {focused.set(true)}, on_blur: {focused.set(false);},
        on_select: {count.update([=](int n) { return n + step; })}) {
      Text(text: {"count " + std::to_string(count())})
    }
  )ui");
}
