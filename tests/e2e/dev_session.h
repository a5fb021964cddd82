// `wasmship dev --headless` for end-to-end tests: a copy of catalog in a
// fresh directory, and the real binary driven over its stdin/stdout
// protocol, as an editor plugin or a script would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ws::e2e {

std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);

// Replaces the one occurrence of `from` in the file (failing the test when
// it is not there), the way an editor saves in place.
void Edit(const std::string& path, const std::string& from, const std::string& to);

// A text no earlier run has compiled: an edit holding it is new to the
// shared object cache, so its build really runs.
std::string UniqueText();

// A copy of examples/catalog in a fresh mkdtemp directory (kept when the
// test failed, to look at).
class DevProject {
 public:
  DevProject();
  ~DevProject();
  DevProject(const DevProject&) = delete;
  DevProject& operator=(const DevProject&) = delete;

  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The environment of other e2e tests: plain output, the shared object cache
// (the runtime compiles once per test run).
std::vector<std::string> DevEnvironment();

// `wasmship dev --headless ARGS` with pipes on stdin and stdout; stderr
// goes to a file beside the project (printed when a test fails).
class DevProcess {
 public:
  using Json = nlohmann::json;
  using Ms = std::chrono::milliseconds;

  DevProcess(const DevProject& project, const std::vector<std::string>& args);
  ~DevProcess();
  DevProcess(const DevProcess&) = delete;
  DevProcess& operator=(const DevProcess&) = delete;

  void Send(const std::string& line);
  void CloseInput();
  // Sends `signal` to the dev process (as Ctrl-C in its terminal would).
  void Signal(int signal);

  // The next event line, or null after `timeout`.
  Json Next(Ms timeout = std::chrono::seconds(60));
  // The next event called `name` (skipping others, which stay in events()), or null.
  Json NextOf(const std::string& name, Ms timeout = std::chrono::seconds(90));
  // Sends `wait-reload` and returns the reload event.
  Json Reload();
  Json State();

  // The exit code once the process ends within `timeout`, or -1.
  int ExitCode(std::chrono::seconds timeout = std::chrono::seconds(30));
  std::string Stderr() const { return ReadText(err_path_); }
  // Every event read so far, in order.
  const std::vector<Json>& events() const { return events_; }

 private:
  bool Exited(std::chrono::seconds timeout);

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  std::string buffer_;
  std::vector<Json> events_;
  std::string err_path_;
};

// Waits for the `ready` event (the first build compiles the app) and returns it.
nlohmann::json Ready(DevProcess& dev);

}  // namespace ws::e2e
