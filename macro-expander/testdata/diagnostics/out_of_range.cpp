#include <cstdint>
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Cell(uint8_t level = 0, double weight = 1.0, int64_t id = 0) {
  return compose(R"ui( Text(text: "cell") )ui");
}

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Grid(columns: 99999999999, gap: 340282350000000000000000000000000000000000, width: 0.00000000000000000000000000000000000000000000001) {
//                ^error{'columns' on Grid takes a whole number from -2147483648 to 2147483647 (int); 99999999999 is out of range}
//                                  ^error{'gap' on Grid takes a number from -3.40282e+38 to 3.40282e+38 (float); 340282350000000000000000000000000000000000 is out of range}
//                                                                                     ^error{'width' on Grid takes a number of magnitude at least 1.4013e-45 or 0 (float); 0.00000000000000000000000000000000000000000000001 would become 0}
      Cell(level: 256, weight: 340282350000000000000000000000000000000000, id: -9223372036854775808)
//                ^error{'level' on Cell takes a whole number from 0 to 255 (uint8_t); 256 is out of range}
      Cell(level: -1, id: 9223372036854775808)
//                ^error{'level' on Cell takes a whole number from 0 to 255 (uint8_t); -1 is out of range}
//                        ^error{'id' on Cell takes a whole number from -9223372036854775808 to 9223372036854775807 (int64_t); 9223372036854775808 is out of range}
      Text(text: "ok", transition: 999999999999999999999999999999999999s, size: 2147483647)
//                                 ^error{'transition' on Text takes a number from -3.40282e+38 to 3.40282e+38 (float); 999999999999999999999999999999999999s is out of range}
    }
  )ui");
}
