// hello: the smallest wasmship app. It prints a greeting (which `wasmship
// run` shows on its output) and puts it on screen in a focusable box.
#include <cstdio>
#include <wasmship/ui.hpp>

#include "greeting.h"

UI_COMPOSABLE ws::View Hello() {
  std::printf("%s\n", Greeting("living room").c_str());
  auto focused = ws::signal(false);
  return compose(R"ui(
    Stack(width: 100%, height: 100%, align: Center, justify: Center) {
      Box(padding: 32, radius: 16, background: #1F3A5F, focusable: true, transition: 150ms,
          scale: {focused() ? 1.05f : 1.0f}, on_focus: {focused.set(true)}, on_blur: {focused.set(false)}) {
        Text(text: {Greeting("living room")}, style: Headline)
      }
    }
  )ui");
}

UI_APP(Hello)
