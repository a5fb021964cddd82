#include <wasmship/ui.hpp>

ws::View Screen() {
  return compose(R"ui( Column() )ui");
//       ^error{compose() outside a UI_COMPOSABLE function}
}
