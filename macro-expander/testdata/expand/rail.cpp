// A rail: its items come from a lambda-valued prop.
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Tile(int index) {
  return compose(R"ui( Box(width: 240, height: 135, focusable: true) )ui");
}

UI_COMPOSABLE ws::View Shelf(int count) {
  return compose(R"ui(
    Rail(width: 100%, gap: 24, count: {count}, item_width: 240, item_height: 135,
         item: {[](int i) { Tile(i); }})
  )ui");
}
