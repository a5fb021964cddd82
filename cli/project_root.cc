#include "cli/project_root.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "compiler-driver/manifest.h"
#include "diagnostics/diagnostic_printer.h"

namespace ws {

namespace fs = std::filesystem;

std::string ProjectRoot::Resolve(const std::string& path) const {
  fs::path p(path);
  return p.is_absolute() ? path : (fs::path(original_cwd) / p).lexically_normal().string();
}

std::optional<ProjectRoot> EnterProjectRoot(const GlobalOptions& global) {
  std::string cwd = fs::current_path().string();
  std::optional<std::string> manifest = FindManifest(cwd);
  if (!manifest) {
    Diagnostic d{Level::kError, "no wasmship.yaml in " + cwd + " or any parent directory",
                 {}, {"create a project with `wasmship new DIR`, or point at one with `-C DIR`"}};
    DiagnosticPrinter(std::cerr, UseColor(global.color, 2)).Print(d);
    return std::nullopt;
  }
  ProjectRoot project;
  project.root = fs::path(*manifest).parent_path().string();
  project.manifest = "wasmship.yaml";
  project.original_cwd = cwd;
  if (::chdir(project.root.c_str()) != 0) {
    std::cerr << "wasmship: error: cannot enter " << project.root << "\n";
    return std::nullopt;
  }
  return project;
}

}  // namespace ws
