// A throwaway project directory for end-to-end tests, and a way to run the
// real wasmship binary (and node, wasm-validate) in it.
#pragma once

#include <string>
#include <vector>

namespace ws::e2e {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv in `cwd` with extra environment entries ("NAME=value").
RunResult RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                     const std::vector<std::string>& env = {});

// Path of a file in the source tree (examples, test data).
std::string SourcePath(const std::string& relative);

class ProjectSandbox {
 public:
  // A fresh, empty directory named after the running test.
  ProjectSandbox();
  ~ProjectSandbox();

  // Copies examples/<name> into the sandbox.
  void CopyExample(const std::string& name);
  void Write(const std::string& relative, const std::string& text);
  std::string Read(const std::string& relative) const;
  bool Exists(const std::string& relative) const;
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  const std::string& dir() const { return dir_; }

  // `wasmship args...` in the sandbox.
  RunResult Wasmship(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) const;

 private:
  std::string dir_;
};

}  // namespace ws::e2e
