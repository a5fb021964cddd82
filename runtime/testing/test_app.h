// Runs a root composable natively against the fake host, frame by frame,
// for the runtime's unit tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "src/animation.h"
#include "src/app.h"
#include "src/focus.h"
#include "src/layout.h"
#include "src/ui_context.h"
#include "testing/fake_host.h"
#include "wasmship/ui.hpp"

namespace ws::testing {

class TestApp {
 public:
  explicit TestApp(std::function<void()> root, int width = 1280, int height = 720) {
    Host().Reset();
    ui::StartApp(width, height, [root] {
      root();
      return View();
    });
  }
  ~TestApp() { ui::StopApp(); }

  // Runs one frame 1/60 s after the previous one; returns RunFrame's value.
  int Frame() {
    now_ += 1000.0 / 60.0;
    return ui::RunFrame(now_);
  }
  void Frames(int n) {
    for (int i = 0; i < n; ++i) Frame();
  }
  void Key(int32_t key) {
    ui::QueueInput(host_abi::kInputKeyPress, key);
    Frame();
  }
  double now() const { return now_; }

  ui::Rect RectOf(Element e) { return ui::TargetRect(e.entity()); }
  ui::Display* DisplayOf(Element e) { return ui::Ui().world.Get<ui::Display>(e.entity()); }
  Entity focused() const { return ui::Ui().focused; }
  size_t entities() const { return ui::Ui().world.alive_count(); }

 private:
  double now_ = 0;
};

// One decoded draw command (enough for assertions).
struct Command {
  uint8_t op = 0;
  float f[6] = {};
  uint32_t rgba = 0;
  int32_t image = 0;
  std::string text;
};

inline std::vector<Command> Decode(const std::vector<uint8_t>& bytes) {
  std::vector<Command> out;
  size_t pos = 8;
  auto f32 = [&] { float v; std::memcpy(&v, &bytes[pos], 4); pos += 4; return v; };
  auto u32 = [&] { uint32_t v; std::memcpy(&v, &bytes[pos], 4); pos += 4; return v; };
  while (pos < bytes.size()) {
    Command c;
    c.op = bytes[pos++];
    switch (c.op) {
      case 1: for (int i = 0; i < 4; ++i) c.f[i] = f32(); c.rgba = u32(); c.f[4] = f32(); break;
      case 2: for (int i = 0; i < 4; ++i) c.f[i] = f32(); c.image = static_cast<int32_t>(u32()); c.f[4] = f32(); break;
      case 3: {
        for (int i = 0; i < 3; ++i) c.f[i] = f32();
        c.rgba = u32();
        uint32_t len = u32();
        c.text.assign(reinterpret_cast<const char*>(&bytes[pos]), len);
        pos += len;
        break;
      }
      case 4: for (int i = 0; i < 4; ++i) c.f[i] = f32(); break;
      case 6: c.f[0] = f32(); break;
      case 8: for (int i = 0; i < 6; ++i) c.f[i] = f32(); break;
      default: break;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace ws::testing
