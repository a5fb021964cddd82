#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  auto n = ws::signal(0);
  return compose(R"ui(
    Column(on_select: {n.set(1)) {
//                    ^error{unbalanced braces: this '{' is never closed}
      Text(text: "a")
    }
  )ui");
}

UI_COMPOSABLE ws::View Other() {
  return compose(R"ui(
    Column() {
//           ^error{unbalanced braces: this '{' is never closed}
      Text(text: "a")
  )ui");
}
