#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Text(text: "café")
//                 ^error{the compose block is not valid UTF-8 here}
  )ui");
}
