#include "tests/e2e/dev_session.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {

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

void Edit(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = ReadText(path);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  WriteText(path, text.replace(at, from.size(), to));
}

std::string UniqueText() {
  return std::to_string(::getpid()) + "-" + std::to_string(Clock::now().time_since_epoch().count());
}

DevProject::DevProject() {
  std::string pattern = (fs::path(testing::TempDir()) / "wasmship-dev-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  dir_ = pattern;
  fs::copy(SourcePath("examples/catalog"), dir_, fs::copy_options::recursive);
  fs::remove_all(dir_ + "/dist");
  fs::remove_all(dir_ + "/.wasmship");
}

DevProject::~DevProject() {
  if (testing::Test::HasFailure()) return;  // kept to look at
  fs::remove_all(dir_);
  fs::remove(dir_ + "-stderr.txt");
}

std::vector<std::string> DevEnvironment() {
  return {"CI=1", "WASMSHIP_SIGNING_KEY=", "SOURCE_DATE_EPOCH=",
          "WASMSHIP_CACHE_DIR=" + (fs::path(testing::TempDir()) / "wasmship-e2e-cache").string()};
}

DevProcess::DevProcess(const DevProject& project, const std::vector<std::string>& args) {
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

DevProcess::~DevProcess() {
  CloseInput();
  if (pid_ > 0 && !Exited(std::chrono::seconds(20))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) ::close(out_);
  if (testing::Test::HasFailure()) std::cerr << "wasmship dev stderr:\n" << ReadText(err_path_);
}

void DevProcess::Send(const std::string& line) {
  std::string text = line + "\n";
  ASSERT_EQ(::write(in_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

void DevProcess::CloseInput() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

json DevProcess::Next(Ms timeout) {
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
    auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
    if (left <= 0) return nullptr;
    pollfd fd{out_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[4096];
    ssize_t n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) return nullptr;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

json DevProcess::NextOf(const std::string& name, Ms timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now());
    json event = Next(left);
    if (event.is_null() || event.value("event", "") == name) return event;
  }
}

json DevProcess::Reload() {
  Send("wait-reload 90000");
  json event = NextOf("reload");
  EXPECT_FALSE(event.is_null()) << "no reload event";
  return event;
}

json DevProcess::State() {
  Send("state");
  return NextOf("state");
}

void DevProcess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int DevProcess::ExitCode(std::chrono::seconds timeout) { return Exited(timeout) ? exit_code_ : -1; }

bool DevProcess::Exited(std::chrono::seconds timeout) {
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

json Ready(DevProcess& dev) {
  json ready = dev.Next(std::chrono::seconds(180));  // the first build compiles the app
  EXPECT_EQ(ready.value("event", ""), "ready") << ready.dump() << "\n" << dev.Stderr();
  return ready;
}

}  // namespace ws::e2e
