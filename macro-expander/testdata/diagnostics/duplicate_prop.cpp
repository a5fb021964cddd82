#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Column(gap: 12, width: 100, gap: 14)
//                              ^error{duplicate prop 'gap' on Column}
  )ui");
}
