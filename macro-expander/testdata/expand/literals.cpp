// Every kind of literal a prop takes.
#include <wasmship/ui.hpp>

UI_COMPOSABLE ws::View Literals() {
  return compose(R"ui(
    Column(width: 50%, height: 720px, padding: 24, gap: 12, background: #0E1117, radius: 8.5,
           opacity: 0.9, transition: 1.5s, focusable: true, align: Center, justify: SpaceBetween) {
      Text(text: "Say \"hi\"", size: 28, color: #FFCC0080, style: Title)
      Spacer(grow: 2)
      Grid(columns: 3) { Box(width: 100, height: 100) }
    }
  )ui");
}
