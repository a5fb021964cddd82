// Where the job pool's commands run: the seam between scheduling a build
// and starting processes, like ninja's CommandRunner. The build runs its
// tools through SubprocessRunner; unit tests give the pool a fake
// (fake_command_runner.h) so that the no-op, failure and interrupt paths
// of the build run without clang.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diagnostics/result.h"
#include "platform/subprocess.h"

namespace ws {

// The part of SubprocessSet's contract the job pool relies on.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Starts `argv`; returns a handle, or the reason it could not start.
  virtual Result<int> Start(const std::vector<std::string>& argv, const SpawnOptions& options) = 0;
  // Blocks until a command ends; false when an interrupt arrived instead.
  virtual bool WaitForAny() = 0;
  // A command that has ended, with its handle; nullopt when none has.
  virtual std::optional<std::pair<int, ProcessResult>> NextFinished() = 0;
  virtual size_t running() const = 0;
  // Stops every running command.
  virtual void StopAll() = 0;
};

// Commands as real processes.
class SubprocessRunner : public CommandRunner {
 public:
  Result<int> Start(const std::vector<std::string>& argv, const SpawnOptions& options) override {
    return processes_.Start(argv, options);
  }
  bool WaitForAny() override { return processes_.WaitForAny(); }
  std::optional<std::pair<int, ProcessResult>> NextFinished() override { return processes_.NextFinished(); }
  size_t running() const override { return processes_.running(); }
  void StopAll() override { processes_.StopAll(); }

 private:
  SubprocessSet processes_;
};

}  // namespace ws
