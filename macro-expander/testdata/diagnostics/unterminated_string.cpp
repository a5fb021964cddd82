#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Column() {
      Text(text: "never closed)
//               ^error{unterminated string: this '"' is never closed}
    }
  )ui");
}
