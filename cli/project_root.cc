#include "cli/project_root.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/exit_code.h"
#include "cli/failure.h"
#include "compiler-driver/manifest.h"

namespace ws {

namespace fs = std::filesystem;

std::string ProjectRoot::Resolve(const std::string& path) const {
  fs::path p(path);
  return p.is_absolute() ? path : (fs::path(original_cwd) / p).lexically_normal().string();
}

std::optional<ProjectRoot> EnterProjectRoot(const GlobalOptions& global, OutputFormat format) {
  std::string cwd = fs::current_path().string();
  std::optional<std::string> manifest = FindManifest(cwd);
  if (!manifest) {
    Fail(global, kExitUsage, "no wasmship.yaml in " + cwd + " or any parent directory",
         {"create a project with `wasmship new DIR`, or point at one with `-C DIR`"}, format);
    return std::nullopt;
  }
  ProjectRoot project;
  project.root = fs::path(*manifest).parent_path().string();
  project.manifest = "wasmship.yaml";
  project.original_cwd = cwd;
  if (::chdir(project.root.c_str()) != 0) {
    Fail(global, kExitUsage, "cannot enter " + project.root, {}, format);
    return std::nullopt;
  }
  return project;
}

}  // namespace ws
