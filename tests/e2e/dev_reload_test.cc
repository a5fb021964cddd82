// wasmship dev --headless across the reloads that are hard to get right:
// a header every source includes, a signal whose type changed, a new
// module that traps while starting, and a long run of reloads. The real
// binary on a copy of catalog (tests/e2e/dev_session.h).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/e2e/dev_session.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// From the profiles to the second shelf's second poster: the page, the
// profile, the shelf and the title are signals, the focus is deep in a rail.
json GoToAPoster(DevProcess& dev) {
  for (const char* key : {"right", "select", "down", "right"}) dev.Send(std::string("key ") + key);
  json state = dev.State();
  EXPECT_FALSE(state["focus"].get<std::string>().empty()) << state.dump();
  EXPECT_GT(state["signals"].get<int>(), 1) << state.dump();
  return state;
}

int OpenDescriptors(int pid) {
  int n = 0;
  for ([[maybe_unused]] const fs::directory_entry& fd :
       fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    ++n;
  }
  return n;
}

// A colour in theme.h, which every page includes: everything is rebuilt,
// and the new module gets all the signals and the focus back.
TEST(DevReloadTest, HeaderEditKeepsStateAndFocus) {
  DevProject project;
  DevProcess dev(project, {});
  Ready(dev);
  json before = GoToAPoster(dev);
  dev.Send("screenshot " + project.Path("before.png"));
  dev.NextOf("screenshot");

  Edit(project.Path("src/theme.h"), "kMuted = ws::Color(0x9AA0A6FFu)", "kMuted = ws::Color(0x5A6066FFu)");
  json reload = dev.Reload();
  ASSERT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  EXPECT_FALSE(reload.contains("unchanged")) << reload.dump();
  EXPECT_EQ(reload["changed"], json::array({"src/theme.h"})) << reload.dump();
  EXPECT_TRUE(reload["state_kept"].get<bool>()) << reload.dump();
  EXPECT_GT(reload["kept_signals"].get<int>(), 0) << reload.dump();
  EXPECT_EQ(reload["kept_signals"], before["signals"]) << reload.dump();
  EXPECT_EQ(reload["reset_signals"].get<int>(), 0) << reload.dump();
  EXPECT_EQ(reload["focus"], before["focus"]) << reload.dump();
  // The new instance's start (docs/dev.md): phases that add up, instructions on interp.
  ASSERT_TRUE(reload.contains("startup")) << reload.dump();
  const json& startup = reload["startup"];
  EXPECT_GT(startup["instructions"].get<uint64_t>(), 0u) << reload.dump();
  EXPECT_GT(startup["first_frame_ms"].get<double>(), 0) << reload.dump();
  EXPECT_NEAR(startup["total_ms"].get<double>(),
              startup["instantiate_ms"].get<double>() + startup["init_ms"].get<double>() +
                  startup["first_frame_ms"].get<double>(),
              0.03)
      << reload.dump();

  json after = dev.State();
  EXPECT_EQ(after["focus"], before["focus"]) << after.dump();
  EXPECT_EQ(after["signals"], before["signals"]) << after.dump();
  EXPECT_EQ(after["reloads"].get<int>(), 1) << after.dump();
  // The same page, with the muted titles in the new colour.
  dev.Send("screenshot " + project.Path("after.png"));
  dev.NextOf("screenshot");
  EXPECT_NE(ReadText(project.Path("before.png")), ReadText(project.Path("after.png")));
  // The focus moves on from where it was.
  dev.Send("key right");
  EXPECT_NE(dev.State()["focus"], before["focus"]);

  dev.Send("quit");
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

// AppState's `title` becomes a Signal<long long>: that one signal starts
// from its initial value, every other one is kept.
TEST(DevReloadTest, TypeChangeResetsThatSignalOnly) {
  DevProject project;
  DevProcess dev(project, {});
  Ready(dev);
  json before = GoToAPoster(dev);

  Edit(project.Path("src/app_state.h"), "ws::Signal<int> title;", "ws::Signal<long long> title;");
  Edit(project.Path("src/app_state.cpp"), "title = ws::signal(0);", "title = ws::signal(0LL);");
  json reload = dev.Reload();
  ASSERT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  EXPECT_TRUE(reload["state_kept"].get<bool>()) << reload.dump();
  EXPECT_EQ(reload["reset_signals"].get<int>(), 1) << reload.dump();
  EXPECT_EQ(reload["kept_signals"].get<int>(), before["signals"].get<int>() - 1) << reload.dump();
  EXPECT_EQ(reload["focus"], before["focus"]) << reload.dump();
  json after = dev.State();
  EXPECT_EQ(after["signals"], before["signals"]) << after.dump();
  EXPECT_FALSE(after["error"].get<bool>()) << after.dump();

  dev.Send("quit");
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

// Root traps in the new module's ws_init: a `trap` event, a failed reload,
// and the old app runs on, its frame and focus as they were. Undoing the
// edit builds the running module again.
TEST(DevReloadTest, NewModuleThatTrapsOnStartKeepsTheOldOne) {
  DevProject project;
  DevProcess dev(project, {});
  Ready(dev);
  json before = GoToAPoster(dev);
  dev.Send("screenshot " + project.Path("before.png"));
  dev.NextOf("screenshot");

  std::string main_cpp = project.Path("src/main.cpp");
  std::string good = ReadText(main_cpp);
  Edit(main_cpp, "  CreateState();\n", "  __builtin_trap();\n  CreateState();\n");
  json reload = dev.Reload();
  EXPECT_FALSE(reload["ok"].get<bool>()) << reload.dump();
  ASSERT_FALSE(reload["diagnostics"].empty()) << reload.dump();
  EXPECT_NE(reload["diagnostics"][0]["message"].get<std::string>().find("trapped"), std::string::npos)
      << reload.dump();
  // The trap event came just before the reload (NextOf kept it).
  ASSERT_GE(dev.events().size(), 2u);
  json trap = dev.events()[dev.events().size() - 2];
  EXPECT_EQ(trap["event"], "trap") << trap.dump();
  EXPECT_TRUE(trap["reload"].get<bool>()) << trap.dump();
  EXPECT_TRUE(trap["old_app_kept"].get<bool>()) << trap.dump();
  EXPECT_EQ(trap["trap"]["during"], "ws_init") << trap.dump();

  json state = dev.State();
  EXPECT_TRUE(state["running"].get<bool>()) << state.dump();
  EXPECT_TRUE(state["error"].get<bool>()) << state.dump();
  EXPECT_EQ(state["reloads"].get<int>(), 0) << state.dump();
  EXPECT_EQ(state["focus"], before["focus"]) << state.dump();
  dev.Send("screenshot " + project.Path("during.png"));
  dev.NextOf("screenshot");
  EXPECT_EQ(ReadText(project.Path("before.png")), ReadText(project.Path("during.png")));

  WriteText(main_cpp, good);
  reload = dev.Reload();
  EXPECT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  state = dev.State();
  EXPECT_FALSE(state["error"].get<bool>()) << state.dump();
  EXPECT_EQ(state["focus"], before["focus"]) << state.dump();
  dev.Send("key right");  // the old app still takes keys
  EXPECT_NE(dev.State()["focus"], before["focus"]);

  dev.Send("quit");
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

// assets/catalog.json saved 100 times, each save waited for: each is a
// state-keeping reload of the same module without a build (~0.3 s each
// here). No descriptor is left behind by the swaps.
TEST(DevReloadTest, AHundredReloadsInARow) {
  constexpr int kReloads = 100;
  DevProject project;
  DevProcess dev(project, {});
  int pid = Ready(dev)["pid"].get<int>();
  json before = GoToAPoster(dev);
  std::string catalog_path = project.Path("assets/catalog.json");
  std::string catalog = ReadText(catalog_path);

  Clock::time_point start = Clock::now();
  int descriptors = 0;
  for (int i = 0; i < kReloads; ++i) {
    WriteText(catalog_path, catalog + std::string(1 + i % 2, '\n'));
    json reload = dev.Reload();
    ASSERT_TRUE(reload["ok"].get<bool>()) << "reload " << i << ": " << reload.dump();
    ASSERT_EQ(reload["assets"], json::array({"catalog.json"})) << "reload " << i << ": " << reload.dump();
    ASSERT_TRUE(reload["state_kept"].get<bool>()) << "reload " << i << ": " << reload.dump();
    if (i == 0) descriptors = OpenDescriptors(pid);
  }
  std::cout << kReloads << " reloads in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count() << " ms\n";

  json state = dev.State();
  EXPECT_EQ(state["reloads"].get<int>(), kReloads) << state.dump();
  EXPECT_EQ(state["focus"], before["focus"]) << state.dump();
  EXPECT_EQ(state["signals"], before["signals"]) << state.dump();
  EXPECT_FALSE(state["error"].get<bool>()) << state.dump();
  EXPECT_EQ(OpenDescriptors(pid), descriptors);

  dev.Send("quit");
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

}  // namespace
}  // namespace ws::e2e
