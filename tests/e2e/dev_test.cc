// wasmship dev --headless: the real binary on a copy of catalog, driven
// over its stdin/stdout protocol as an editor plugin or a script would.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <memory>
#include <thread>
#include <nlohmann/json.hpp>

#include "tests/e2e/dev_session.h"
#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One session through the common edits: a DSL literal, a syntax error and
// its fix, a broken wasmship.yaml, a rename-save, an asset, a bad command.
TEST(DevTest, HeadlessSessionFollowsEditsAndKeepsTheLastGoodApp) {
  DevProject project;
  DevProcess dev(project, {});
  json ready = Ready(dev);
  EXPECT_EQ(ready["device"], "tv-2019");
  EXPECT_EQ(ready["engine"], "interp");
  EXPECT_EQ(ready["size"], "1280x720");
  std::string page = project.Path("src/profiles_page.cpp");

  dev.Send("screenshot " + project.Path("before.png"));
  json shot = dev.NextOf("screenshot");
  EXPECT_EQ(shot["path"], project.Path("before.png"));

  // A DSL literal: rebuilt, swapped in, and the screen shows it. The text is
  // new to the shared object cache, so the expansion and compile really run.
  std::string unique = UniqueText();
  Edit(page, "\"Who's watching?\"", "\"Who is watching tonight? " + unique + "\"");
  json reload = dev.Reload();
  EXPECT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  EXPECT_GT(reload["ms"].get<double>(), 0);
  EXPECT_GT(reload["steps"]["compile"].get<double>() + reload["steps"]["expand"].get<double>(), 0)
      << reload.dump();
  EXPECT_TRUE(reload["steps"].contains("swap"));
  EXPECT_EQ(reload["changed"], json::array({"src/profiles_page.cpp"}));
  dev.Send("screenshot after.png");  // relative: to where dev was started
  dev.NextOf("screenshot");
  EXPECT_NE(ReadText(project.Path("before.png")), ReadText(project.Path("after.png")));

  // A syntax error: diagnostics with file and line; the last good app runs on.
  Edit(page, "ProfilesPage() {\n  return", "ProfilesPage() {\n  return return");
  reload = dev.Reload();
  EXPECT_FALSE(reload["ok"].get<bool>()) << reload.dump();
  ASSERT_FALSE(reload["diagnostics"].empty()) << reload.dump();
  EXPECT_NE(reload["diagnostics"][0]["file"].get<std::string>().find("profiles_page.cpp"), std::string::npos)
      << reload.dump();
  EXPECT_GT(reload["diagnostics"][0]["line"].get<int>(), 0) << reload.dump();
  dev.Send("screenshot broken.png");
  dev.NextOf("screenshot");
  EXPECT_EQ(ReadText(project.Path("after.png")), ReadText(project.Path("broken.png")));
  json state = dev.State();
  EXPECT_TRUE(state["error"].get<bool>()) << state.dump();

  // The fix, saved the way many editors save: a new file renamed over the old.
  std::string fixed = ReadText(page);
  fixed.replace(fixed.find("return return"), 13, "return");
  fixed.replace(fixed.find("tonight?"), 8, "now?");  // and another literal
  WriteText(page + ".tmp-save", fixed);
  fs::rename(page + ".tmp-save", page);
  reload = dev.Reload();
  EXPECT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  state = dev.State();
  EXPECT_FALSE(state["error"].get<bool>()) << state.dump();
  EXPECT_GE(state["reloads"].get<int>(), 1) << state.dump();
  dev.Send("screenshot fixed.png");
  dev.NextOf("screenshot");
  EXPECT_NE(ReadText(project.Path("after.png")), ReadText(project.Path("fixed.png")));

  // A broken wasmship.yaml names itself; restoring it rebuilds to the same module.
  std::string manifest = ReadText(project.Path("wasmship.yaml"));
  WriteText(project.Path("wasmship.yaml"), manifest + "sources: [\n");
  reload = dev.Reload();
  EXPECT_FALSE(reload["ok"].get<bool>()) << reload.dump();
  ASSERT_FALSE(reload["diagnostics"].empty()) << reload.dump();
  EXPECT_NE(reload["diagnostics"][0]["file"].get<std::string>().find("wasmship.yaml"), std::string::npos)
      << reload.dump();
  WriteText(project.Path("wasmship.yaml"), manifest);
  reload = dev.Reload();
  EXPECT_TRUE(reload["ok"].get<bool>()) << reload.dump();

  // An asset: reloaded without a build.
  std::string catalog = ReadText(project.Path("assets/catalog.json"));
  WriteText(project.Path("assets/catalog.json"), catalog + "\n");
  reload = dev.Reload();
  EXPECT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  EXPECT_EQ(reload["assets"], json::array({"catalog.json"})) << reload.dump();

  // A bad command line is an error event; the session goes on.
  dev.Send("jump 3");
  json error = dev.NextOf("error");
  EXPECT_NE(error["message"].get<std::string>().find("unknown command 'jump'"), std::string::npos)
      << error.dump();
  dev.Send("key sideways");
  error = dev.NextOf("error");
  EXPECT_NE(error["message"].get<std::string>().find("unknown key"), std::string::npos) << error.dump();
  EXPECT_EQ(dev.State()["event"], "state");

  dev.Send("quit");
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

// Keys move the focus; a C++ edit is swapped in with the signals and the
// focus kept (the runtime's hot reload extension).
TEST(DevTest, CppEditKeepsSignalsAndFocus) {
  DevProject project;
  DevProcess dev(project, {});
  Ready(dev);
  dev.Send("key right");
  json before = dev.State();
  ASSERT_FALSE(before["focus"].get<std::string>().empty()) << before.dump();
  Edit(project.Path("src/catalog_model.cpp"), "string_or(\"?\")", "string_or(\"(no name)\")");
  json reload = dev.Reload();
  ASSERT_TRUE(reload["ok"].get<bool>()) << reload.dump();
  EXPECT_TRUE(reload["state_kept"].get<bool>()) << reload.dump();
  EXPECT_GT(reload["kept_signals"].get<int>(), 0) << reload.dump();
  EXPECT_EQ(reload["focus"], before["focus"]) << reload.dump();
  json after = dev.State();
  EXPECT_EQ(after["focus"], before["focus"]) << after.dump();
  dev.CloseInput();  // end of input: quit
  EXPECT_EQ(dev.ExitCode(), 0) << dev.Stderr();
}

// What ends dev before it starts: no project or a bad device (2), a first
// build that fails (1: nothing to run).
TEST(DevTest, StartErrorsHaveTheirExitCodes) {
  DevProject project;
  std::string binary = WASMSHIP_BINARY;
  RunResult no_project = RunCommand({binary, "dev", "--headless"}, testing::TempDir(), DevEnvironment());
  EXPECT_EQ(no_project.exit_code, 2) << no_project.err;
  ExpectContains(no_project.err, "no wasmship.yaml");
  RunResult device =
      RunCommand({binary, "dev", "--headless", "--device", "toaster"}, project.dir(), DevEnvironment());
  EXPECT_EQ(device.exit_code, 2) << device.err;
  ExpectContains(device.err, "toaster");
  RunResult size =
      RunCommand({binary, "dev", "--headless", "--size", "big"}, project.dir(), DevEnvironment());
  EXPECT_EQ(size.exit_code, 2) << size.err;
  Edit(project.Path("src/catalog_model.cpp"), "Catalog catalog;", "Catalog catalog");
  RunResult broken = RunCommand({binary, "dev", "--headless"}, project.dir(), DevEnvironment());
  EXPECT_EQ(broken.exit_code, 1) << broken.err;
  ExpectContains(broken.err, "catalog_model.cpp");
  ExpectContains(broken.err, "the first build failed");
  EXPECT_EQ(broken.out, "");  // no ready event
}

// Processes (other than `except`) whose working directory is `dir`: the
// build's tools run there.
std::vector<std::string> ProcessesIn(const std::string& dir, pid_t except) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || std::stoi(name) == except) continue;
    std::error_code error;
    fs::path cwd = fs::read_symlink(entry.path() / "cwd", error);
    if (!error && cwd == fs::path(dir)) found.push_back(name + " " + ReadText(entry.path().string() + "/comm"));
  }
  return found;
}

// Ctrl-C while a reload is compiling ends the session cleanly: exit 0, no
// compiler left running, and the next session starts from the last good build.
TEST(DevTest, InterruptDuringARebuildEndsCleanly) {
  DevProject project;
  auto dev = std::make_unique<DevProcess>(project, std::vector<std::string>{});
  Ready(*dev);
  std::string state_cpp = project.Path("src/app_state.cpp");
  WriteText(state_cpp, ReadText(state_cpp) + "// " + UniqueText() + "\n");
  std::string dir = fs::canonical(project.dir()).string();
  // Signalled once a tool of the rebuild is seen running.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto tool_running = [&] {
    for (const std::string& process : ProcessesIn(dir, ::getpid())) {
      if (process.find(" clang") != std::string::npos || process.find(" wasm-ld") != std::string::npos) return true;
    }
    return false;
  };
  while (!tool_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(tool_running()) << "the edit started no rebuild";
  dev->Signal(SIGINT);
  EXPECT_EQ(dev->ExitCode(std::chrono::seconds(20)), 0) << dev->Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ProcessesIn(dir, ::getpid()), std::vector<std::string>{});
  dev.reset();
  DevProcess again(project, {});
  json ready = Ready(again);
  EXPECT_EQ(ready["event"], "ready") << ready.dump();
  again.Send("quit");
  EXPECT_EQ(again.ExitCode(), 0) << again.Stderr();
}

}  // namespace
}  // namespace ws::e2e
