// Composables as elements: parameters are props (defaults may be skipped),
// handlers, a children slot, and recursion under `if`.
#include <string>
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Badge(const std::string& label, ws::Color color = ws::Color(0xFFCC00FFu), bool large = false,
                             ws::Handler on_press = {}) {
  return compose(R"ui( Text(text: {label}, color: {color}, size: {large ? 32.0f : 20.0f}) )ui");
}

// A composable with a children slot, written with the builder API.
UI_COMPOSABLE ws::View Card(const std::string& title, ws::Children children = {}) {
  return ws::Column({.padding = 16}, [&] {
    ws::Text({.text = title});
    if (children) children();
  });
}

UI_COMPOSABLE ws::View Nested(int depth) {
  return compose(R"ui(
    Card(title: "outer") {
      Badge(label: "new", large: true, on_press: {ws::log("pressed")})
      if {depth > 0} { Nested(depth: {depth - 1}) }
    }
  )ui");
}
