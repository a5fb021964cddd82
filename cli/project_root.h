// Commands that work on a project find its wasmship.yaml in the current
// directory or above (like cargo) and then run from the project directory,
// so that every path in messages is relative to it.
#pragma once

#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/output_format.h"

namespace ws {

struct ProjectRoot {
  std::string root;        // absolute project directory
  std::string manifest;    // "wasmship.yaml", relative to root
  std::string original_cwd;
  // A path the user typed, relative to where they ran wasmship, made absolute.
  std::string Resolve(const std::string& path) const;
};

// Finds the project and changes into its directory; on failure prints how
// to create one and returns nullopt (exit code 2).
std::optional<ProjectRoot> EnterProjectRoot(const GlobalOptions& global, OutputFormat format = OutputFormat::kText);

}  // namespace ws
