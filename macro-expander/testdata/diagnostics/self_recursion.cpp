#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Tree(int depth) {
  return compose(R"ui(
    Column() {
      Tree(depth: {depth - 1})
//    ^error{'Tree' uses itself unconditionally: it could never finish building}
      if {depth > 0} { Tree(depth: {depth - 1}) }
      for i in {std::vector<int>{1, 2}} { Tree(depth: {i}) }
    }
  )ui");
}
