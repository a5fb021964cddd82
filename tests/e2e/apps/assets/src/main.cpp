#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Root() {
  return ws::Row({.padding = 10, .gap = 10}, [] {
    ws::Image({.width = 100, .height = 100, .src = "good.png", .placeholder = ws::Color(0x336699FFu)});
    ws::Image({.width = 100, .height = 100, .src = "missing.png", .placeholder = ws::Color(0x336699FFu)});
    ws::Image({.width = 100, .height = 100, .src = "corrupt.png", .placeholder = ws::Color(0x336699FFu)});
  });
}

UI_APP(Root)
