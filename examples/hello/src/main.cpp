// hello: the smallest wasmship app. It prints a greeting (which `wasmship
// run` shows on its output) and puts it on screen in a focusable box.
#include <cstdio>
#include <wasmship/ui.hpp>

#include "greeting.h"

UI_COMPOSABLE ws::View Hello() {
  std::printf("%s\n", Greeting("living room").c_str());
  auto focused = ws::signal(false);
  ws::StackProps screen;
  screen.width = ws::Length::Percent(100);
  screen.height = ws::Length::Percent(100);
  screen.align = ws::Align::Center;
  screen.justify = ws::Justify::Center;
  return ws::Stack(screen, [&] {
    ws::BoxProps card;
    card.padding = 32;
    card.radius = 16;
    card.background = ws::Color(0x1F3A5FFF);
    card.focusable = true;
    card.transition = 150;
    card.on_focus = [focused] { focused.set(true); };
    card.on_blur = [focused] { focused.set(false); };
    auto box = ws::Box(card, [] {
      ws::TextProps text;
      text.text = Greeting("living room");
      text.style = ws::TextStyle::Headline;
      ws::Text(text);
    });
    ws::Bind(box, &ws::BoxProps::scale, [focused] { return focused() ? 1.05f : 1.0f; });
  });
}

UI_APP(Hello)
