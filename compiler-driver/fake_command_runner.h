// A CommandRunner for unit tests (like ninja's FakeCommandRunner): records
// each command instead of running it and writes the files it names as
// outputs (-o, and a depfile for -MF), so that the build goes on. It can
// be told to fail a command or to raise the interrupt flag when one
// starts. Test-only: the build itself always runs real tools.
#pragma once

#include <algorithm>
#include <csignal>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler-driver/command_runner.h"
#include "platform/atomic_file.h"
#include "platform/interrupt.h"

namespace ws {

class FakeCommandRunner : public CommandRunner {
 public:
  // A command with an argument containing `text` fails (exit code 1) and
  // writes nothing.
  void FailWhen(std::string text) { fail_when_ = std::move(text); }
  // Starting a command with an argument containing `text` raises SIGINT
  // (the test holds an InterruptCatcher).
  void InterruptWhen(std::string text) { interrupt_when_ = std::move(text); }

  Result<int> Start(const std::vector<std::string>& argv, const SpawnOptions& options) override {
    started_.push_back(argv);
    if (Matches(argv, interrupt_when_)) std::raise(SIGINT);
    ProcessResult result;
    result.exit_code = 0;
    if (Matches(argv, fail_when_)) {
      result.exit_code = 1;
      result.output = "fake: " + argv.front() + " failed\n";
    } else {
      WriteOutputs(argv, options.cwd);
    }
    pending_.emplace_back(next_handle_, std::move(result));
    return next_handle_++;
  }
  bool WaitForAny() override { return !InterruptRequested(); }
  std::optional<std::pair<int, ProcessResult>> NextFinished() override {
    if (pending_.empty()) return std::nullopt;
    auto done = std::move(pending_.front());
    pending_.pop_front();
    return done;
  }
  size_t running() const override { return pending_.size(); }
  void StopAll() override {
    pending_.clear();
    stopped_ = true;
  }

  // Every command started, in order.
  const std::vector<std::vector<std::string>>& started() const { return started_; }
  bool stopped() const { return stopped_; }

 private:
  static bool Matches(const std::vector<std::string>& argv, const std::string& text) {
    return !text.empty() && std::any_of(argv.begin(), argv.end(), [&](const std::string& arg) {
      return arg.find(text) != std::string::npos;
    });
  }

  // The output's content depends only on the command, so that an unchanged
  // command writes the same bytes.
  static void WriteOutputs(const std::vector<std::string>& argv, const std::string& cwd) {
    std::string content = "fake output of";
    for (const std::string& arg : argv) content += " " + arg;
    std::string source;
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] == "-c") source = argv[i + 1];
    }
    for (const std::string& arg : argv) {
      if (arg.rfind("--Map=", 0) == 0) (void)WriteFileAtomically(arg.substr(6), "fake link map\n");
    }
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      std::filesystem::path path = std::filesystem::path(cwd) / argv[i + 1];
      if (argv[i] == "-o") {
        std::filesystem::create_directories(path.parent_path());
        (void)WriteFileAtomically(path.string(), content + "\n");
      } else if (argv[i] == "-MF" && !source.empty()) {
        std::filesystem::create_directories(path.parent_path());
        (void)WriteFileAtomically(path.string(), argv[i + 1] + ": " + source + "\n");
      }
    }
  }

  std::string fail_when_, interrupt_when_;
  std::vector<std::vector<std::string>> started_;
  std::deque<std::pair<int, ProcessResult>> pending_;
  int next_handle_ = 0;
  bool stopped_ = false;
};

}  // namespace ws
