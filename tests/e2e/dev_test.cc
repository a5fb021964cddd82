// wasmship dev --headless: the real binary on a copy of catalog, driven
// over its stdin/stdout protocol as an editor plugin or a script would.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Replaces the one occurrence of `from` in the file (failing the test when
// it is not there), the way an editor saves in place.
void Edit(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = ReadText(path);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  WriteText(path, text.replace(at, from.size(), to));
}

// A copy of examples/catalog in a fresh mkdtemp directory.
class DevProject {
 public:
  DevProject() {
    std::string pattern = (fs::path(testing::TempDir()) / "wasmship-dev-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    dir_ = pattern;
    fs::copy(SourcePath("examples/catalog"), dir_, fs::copy_options::recursive);
    fs::remove_all(dir_ + "/dist");
    fs::remove_all(dir_ + "/.wasmship");
  }
  ~DevProject() {
    if (testing::Test::HasFailure()) return;  // kept to look at
    fs::remove_all(dir_);
    fs::remove(dir_ + "-stderr.txt");
  }
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The environment of other e2e tests: plain output, the shared object cache
// (the runtime compiles once per test run).
std::vector<std::string> DevEnvironment() {
  return {"CI=1", "WASMSHIP_SIGNING_KEY=", "SOURCE_DATE_EPOCH=",
          "WASMSHIP_CACHE_DIR=" + (fs::path(testing::TempDir()) / "wasmship-e2e-cache").string()};
}

// `wasmship dev --headless ARGS` with pipes on stdin and stdout; stderr
// goes to a file (printed when a test fails).
class DevProcess {
 public:
  DevProcess(const DevProject& project, const std::vector<std::string>& args) {
    err_path_ = project.dir() + "-stderr.txt";  // beside the project: dev watches inside it
    int in[2], out[2];
    EXPECT_EQ(::pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
    std::vector<std::string> argv = {WASMSHIP_BINARY, "dev", "--headless"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env = DevEnvironment();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(err, STDERR_FILENO);
      if (::chdir(project.dir().c_str()) != 0) ::_exit(127);
      for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args_c;
      for (const std::string& a : argv) args_c.push_back(const_cast<char*>(a.c_str()));
      args_c.push_back(nullptr);
      ::execv(args_c[0], args_c.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = out[0];
  }

  ~DevProcess() {
    CloseInput();
    if (pid_ > 0 && !Exited(std::chrono::seconds(20))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
    if (testing::Test::HasFailure()) std::cerr << "wasmship dev stderr:\n" << ReadText(err_path_);
  }

  void Send(const std::string& line) {
    std::string text = line + "\n";
    ASSERT_EQ(::write(in_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void CloseInput() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
  }

  // The next event line, or null after `timeout`.
  json Next(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        json event = json::parse(line, nullptr, false);
        EXPECT_FALSE(event.is_discarded()) << "not JSON: " << line;
        events_.push_back(event);
        return event;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return nullptr;
      pollfd fd{out_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[4096];
      ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) return nullptr;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // The next event called `name` (skipping others), or null.
  json NextOf(const std::string& name, std::chrono::milliseconds timeout = std::chrono::seconds(90)) {
    Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      json event = Next(left);
      if (event.is_null() || event.value("event", "") == name) return event;
    }
  }

  // Sends `wait-reload` and returns the reload event.
  json Reload() {
    Send("wait-reload 90000");
    json event = NextOf("reload");
    EXPECT_FALSE(event.is_null()) << "no reload event";
    return event;
  }

  json State() {
    Send("state");
    return NextOf("state");
  }

  // The exit code once the process ends within `timeout`, or -1.
  int ExitCode(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    return Exited(timeout) ? exit_code_ : -1;
  }

  std::string Stderr() const { return ReadText(err_path_); }

 private:
  bool Exited(std::chrono::seconds timeout) {
    if (pid_ <= 0) return true;
    Clock::time_point deadline = Clock::now() + timeout;
    do {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (Clock::now() < deadline);
    return false;
  }

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  std::string buffer_;
  std::vector<json> events_;
  std::string err_path_;
};

json Ready(DevProcess& dev) {
  json ready = dev.Next(std::chrono::seconds(180));  // the first build compiles the app
  EXPECT_EQ(ready.value("event", ""), "ready") << ready.dump() << "\n" << dev.Stderr();
  return ready;
}

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
  std::string unique =
      std::to_string(::getpid()) + "-" + std::to_string(Clock::now().time_since_epoch().count());
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

}  // namespace
}  // namespace ws::e2e
