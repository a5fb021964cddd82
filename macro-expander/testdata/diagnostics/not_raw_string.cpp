#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose("Column() { }");
//               ^error{compose() takes one raw string literal}
}
