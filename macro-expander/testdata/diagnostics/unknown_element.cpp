#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Tile() { return ws::Box({}); }

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Colum() {
//  ^error{unknown element 'Colum'; did you mean 'Column'?}
      Tiel()
//    ^error{unknown element 'Tiel'; did you mean 'Tile'?}
      Later()
//    ^error{unknown element 'Later'}
    }
  )ui");
}

UI_COMPOSABLE ws::View Later() { return ws::Box({}); }
