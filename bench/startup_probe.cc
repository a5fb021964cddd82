// bench/startup's probe: how long a module takes to start, stage by stage,
// on one engine: instantiate (aot: load the cached compile), _initialize +
// ws_init, and the first frame (fetch delivery + ws_frame), in ms and
// (interp) instructions. Prints one JSON object. Until `run --format json`
// reports startup itself, this is how bench/ measures pre-initialization.
// Usage: ws_startup_probe MODULE.wasm ENGINE ASSETS_DIR CACHE_DIR
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "device-host/engine/engine.h"
#include "device-host/session/host_services.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point from) { return std::chrono::duration<double, std::milli>(Clock::now() - from).count(); }

int Fail(const std::string& message) {
  std::fprintf(stderr, "ws_startup_probe: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ws::host;
  if (argc != 5) return Fail("usage: ws_startup_probe MODULE.wasm interp|aot ASSETS_DIR CACHE_DIR");
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string engine_name = argv[2];
  std::unique_ptr<Engine> engine = engine_name == "aot" ? MakeAotEngine() : MakeInterpEngine();
  ws::Result<std::unique_ptr<Font>> font = Font::Load(Font::DefaultPath());
  if (!font) return Fail(font.error().message);
  HostConfig config;
  config.assets_dir = argv[3];
  HostServices services(config, **font);
  EngineOptions options;
  options.cache_dir = argv[4];

  Clock::time_point start = Clock::now();
  auto made = engine->Instantiate(wasm, services.Imports(), options);
  if (!made) return Fail(made.error().message);
  Instance& instance = **made;
  double instantiate_ms = Ms(start);

  Clock::time_point init_start = Clock::now();
  Value size[2] = {Value::I32(1280), Value::I32(720)};
  bool trapped = instance.Call("_initialize", {}).trapped || instance.Call("ws_init", size).trapped;
  double init_ms = Ms(init_start);
  uint64_t init_instructions = instance.InstructionsExecuted();

  Clock::time_point frame_start = Clock::now();
  trapped = trapped || services.DeliverFetches(instance).trapped;
  Value now = Value::F64(0);
  trapped = trapped || instance.Call("ws_frame", std::span(&now, 1)).trapped;
  double frame_ms = Ms(frame_start);
  if (trapped) return Fail("the app trapped during start-up");
  uint64_t frame_instructions = instance.InstructionsExecuted() - init_instructions;
  // Then frames (60 Hz, fetches delivered between them) until the app is
  // idle: its first page built, its images arrived, its animations done.
  // Without build-time fetches the first frame only shows "Loading...".
  Clock::time_point settle_start = Clock::now();
  int frames = 1;
  for (bool more = true; (more || services.FetchesPending()) && frames < 600; ++frames) {
    trapped = trapped || services.DeliverFetches(instance).trapped;
    now = Value::F64(frames * 1000.0 / 60);
    CallOutcome frame = instance.Call("ws_frame", std::span(&now, 1));
    trapped = trapped || frame.trapped;
    more = !frame.trapped && !frame.results.empty() && frame.results[0].i32 != 0;
  }
  double settle_ms = Ms(settle_start);
  if (trapped) return Fail("the app trapped while settling");
  std::printf(
      "{\"instantiate_ms\": %.3f, \"init_ms\": %.3f, \"first_frame_ms\": %.3f, \"total_ms\": %.3f, "
      "\"init_instructions\": %llu, \"first_frame_instructions\": %llu, \"instructions\": %llu, "
      "\"settled_ms\": %.3f, \"settled_instructions\": %llu, \"settled_frames\": %d, \"submitted\": %s}\n",
      instantiate_ms, init_ms, frame_ms, instantiate_ms + init_ms + frame_ms,
      static_cast<unsigned long long>(init_instructions), static_cast<unsigned long long>(frame_instructions),
      static_cast<unsigned long long>(init_instructions + frame_instructions),
      instantiate_ms + init_ms + frame_ms + settle_ms,
      static_cast<unsigned long long>(instance.InstructionsExecuted()), frames,
      services.submissions() > 0 ? "true" : "false");
  return 0;
}
