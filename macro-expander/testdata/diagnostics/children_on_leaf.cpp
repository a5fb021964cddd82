#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Badge() { return ws::Box({}); }

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Column() {
      Text(text: "a") { Text(text: "b") }
//                    ^error{'Text' takes no children}
      Badge() { Text(text: "c") }
//            ^error{'Badge' takes no children}
    }
  )ui");
}
