// Four focusable boxes in a row. Select on the first traps, on the second
// loops forever, on the third allocates far more than the device has, on the
// fourth recurses until the stack overflows.
// Focusing the second prints a line, to show the app runs on after a trap.
#include <cstdio>
#include <vector>
#include <wasmship/ui.hpp>

__attribute__((noinline)) void CrashOnSelect() { __builtin_trap(); }

__attribute__((noinline)) void SpinForever() {
  volatile unsigned n = 0;
  while (true) n = n + 1;
}

__attribute__((noinline)) void HogMemory() {
  std::vector<std::vector<char>> blocks;
  for (int i = 0; i < 64; ++i) blocks.emplace_back(1 << 20, 'x');
  std::printf("allocated %zu blocks\n", blocks.size());
}

// Each level keeps a buffer on the stack, like real code would.
__attribute__((noinline)) int RecurseForever(int depth) {
  if (depth < 0) return 0;  // never: it only keeps the compiler from calling this infinite
  volatile char frame[128];
  frame[0] = static_cast<char>(depth);
  return RecurseForever(depth + 1) + frame[0];
}

UI_COMPOSABLE ws::View Root() {
  return ws::Row({.gap = 20}, [] {
    ws::Box({.width = 100, .height = 100, .background = ws::Color(0xAA0000FFu), .focusable = true,
             .on_select = [] { CrashOnSelect(); }});
    ws::Box({.width = 100, .height = 100, .background = ws::Color(0x00AA00FFu), .focusable = true,
             .on_select = [] { SpinForever(); }, .on_focus = [] { std::printf("focus b\n"); }});
    ws::Box({.width = 100, .height = 100, .background = ws::Color(0x0000AAFFu), .focusable = true,
             .on_select = [] { HogMemory(); }});
    ws::Box({.width = 100, .height = 100, .background = ws::Color(0xAAAA00FFu), .focusable = true,
             .on_select = [] { std::printf("%d\n", RecurseForever(0)); }});
  });
}

UI_APP(Root)
