// A throwaway project directory for end-to-end tests, and a way to run the
// real wasmship binary (and wasm-validate, wat2wasm) in it.
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

// The action cache the test run's builds share (WASMSHIP_CACHE_DIR).
std::string SharedCacheDir();

// Path of a file in the source tree (examples, test data).
std::string SourcePath(const std::string& relative);

// The smallest UI app source: a root showing `text`, printing it on start.
std::string MinimalAppSource(const std::string& text = "ok");

// A GoogleTest expectation that `text` contains `part`, printing both when not.
void ExpectContains(const std::string& text, const std::string& part);

// A build's progress lines of steps that ran a tool ("[3/9] compile src/x.cpp");
// none when the caches served everything.
std::vector<std::string> ToolSteps(const RunResult& build);

class ProjectSandbox {
 public:
  // A fresh, empty directory named after the running test. Builds share an
  // object cache with the other tests (the runtime compiles once per test
  // run); every C++ source written here gets a comment naming the test and
  // the run, so app objects are never shared between tests or runs.
  ProjectSandbox();
  ~ProjectSandbox();

  // Builds use a cache of their own, in .wasmship/cache (WASMSHIP_CACHE_DIR),
  // instead of the one shared by the test run. Every run has XDG_CACHE_HOME
  // in the test's temp directory: no test writes to the user's cache.
  void UsePrivateCache() { private_cache_ = true; }

  // Creates keys/release.key with `wasmship keygen` and names it in
  // wasmship.yaml's `signing.key` (release builds refuse to go unsigned).
  void AddSigningKey();

  // Copies examples/<name> into the sandbox.
  void CopyExample(const std::string& name);
  void Write(const std::string& relative, const std::string& text);
  std::string Read(const std::string& relative) const;
  bool Exists(const std::string& relative) const;
  // The names of the files in `relative` ending in `extension`, sorted.
  std::vector<std::string> FilesIn(const std::string& relative, const std::string& extension) const;
  std::string Path(const std::string& relative) const { return dir_ + "/" + relative; }
  const std::string& dir() const { return dir_; }

  // `wasmship args...` in the sandbox (or `cwd`, relative to it).
  RunResult Wasmship(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                     const std::string& cwd = "") const;
  // The environment Wasmship() uses (CI=1 and the cache).
  std::vector<std::string> Environment() const;

 private:
  std::string Marker() const;
  std::string dir_;
  std::string test_name_;
  bool private_cache_ = false;
};

}  // namespace ws::e2e
