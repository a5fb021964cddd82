#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Tile(int index) { return ws::Box({}); }

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Column(widht: 240, gap: 12) {
//         ^error{unknown prop 'widht' on Column; did you mean 'width'?}
      Tile(index: 1, indx: 2)
//                   ^error{unknown prop 'indx' on Tile; did you mean 'index'?}
    }
  )ui");
}
