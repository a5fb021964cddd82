#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Screen() {
  return compose(R"ui(
    Column(width: "wide", focusable: 1, align: Middle, transition: 10px, background: 255) {
//                ^error{'width' on Column takes a size such as 240, 240px or 50%, not a string}
//                                   ^error{'focusable' on Column takes true or false, not a number}
//                                             ^error{'Middle' is not a value of 'align' on Column}
//                                                                 ^error{'transition' on Column takes a duration such as 150ms or 1.5s, not a number in px}
//                                                                                   ^error{'background' on Column takes a color such as #FFCC00 or #FFCC0080, not a number}
      Text(text: 12, on_select: "go")
//               ^error{'text' on Text takes a string such as "text", not a number}
//                              ^error{'on_select' on Text takes a handler in braces, e.g. {count.set(1)}, not a string}
    }
  )ui");
}
