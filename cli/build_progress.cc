#include "cli/build_progress.h"

#include <unistd.h>

#include <iostream>

namespace ws {

BuildProgress::BuildProgress(const GlobalOptions& global)
    : global_(global),
      status_line_(IsTerminal(STDERR_FILENO) && !RunningInCi() && !global.verbose),
      color_(global.stderr_color) {}

BuildProgress::~BuildProgress() { ClearLine(); }

void BuildProgress::ClearLine() {
  if (!line_shown_) return;
  std::cerr << "\r\033[K" << std::flush;
  line_shown_ = false;
}

void BuildProgress::StepStarted(const std::string& description,
                                const std::vector<std::string>& argv, size_t index, size_t total) {
  if (global_.quiet) return;
  std::string line = "[" + std::to_string(index) + "/" + std::to_string(total) + "] " + description;
  if (status_line_) {
    size_t width = static_cast<size_t>(TerminalWidth(STDERR_FILENO));
    if (line.size() >= width) line.resize(width - 1);
    std::cerr << "\r\033[K" << line << std::flush;
    line_shown_ = true;
    return;
  }
  std::cerr << line << "\n";
  if (global_.verbose) {
    std::string command;
    for (const std::string& arg : argv) command += (command.empty() ? "" : " ") + arg;
    std::cerr << "  " << command << "\n";
  }
}

void BuildProgress::StepFinished(const std::string& description, const std::string& output,
                                 bool ok) {
  if (output.empty() || (global_.quiet && ok)) return;
  ClearLine();
  std::cerr << output;
  if (output.back() != '\n') std::cerr << "\n";
  if (!ok && global_.verbose) std::cerr << description << " failed\n";
}

void BuildProgress::Message(const std::string& text) {
  if (global_.quiet) return;
  ClearLine();
  std::cerr << "wasmship: " << text << "\n";
}

}  // namespace ws
