#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
//                    ^error{empty compose block}
  )ui");
}
