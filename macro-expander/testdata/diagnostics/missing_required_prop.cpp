#include <string>
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Tile(const std::string& title, bool wide = false) { return ws::Box({}); }

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Row() {
      Tile(wide: true)
//    ^error{missing required prop 'title' on Tile}
    }
  )ui");
}
