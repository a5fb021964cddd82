// How a build looks on the terminal: one self-rewriting status line on a
// TTY ("[12/40] compile src/rail.cpp"), plain lines in CI and in logs, and
// tool diagnostics printed whole as each tool ends. Everything goes to
// stderr; stdout is kept for --format json.
#pragma once

#include <string>

#include "cli/command.h"
#include "compiler-driver/compiler_driver.h"

namespace ws {

class BuildProgress : public BuildObserver {
 public:
  explicit BuildProgress(const GlobalOptions& global);
  ~BuildProgress() override;

  void StepStarted(const std::string& description, const std::vector<std::string>& argv,
                   size_t index, size_t total) override;
  void StepFinished(const std::string& description, const std::string& output, bool ok) override;
  void Message(const std::string& text) override;

  // Clears the status line before other output.
  void ClearLine();
  bool color() const { return color_; }

 private:
  const GlobalOptions& global_;
  bool status_line_;  // rewrite one line in place (a terminal, not CI)
  bool color_;
  bool line_shown_ = false;
};

}  // namespace ws
