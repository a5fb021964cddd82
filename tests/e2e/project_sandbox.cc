#include "tests/e2e/project_sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/subprocess.h"

namespace ws::e2e {

namespace fs = std::filesystem;

RunResult RunCommand(const std::vector<std::string>& argv, const std::string& cwd,
                     const std::vector<std::string>& env) {
  static int counter = 0;
  std::string err_file = fs::path(testing::TempDir()) /
                         ("ws_e2e_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  // env(1) sets the variables; /bin/sh keeps stderr apart from stdout.
  // Hermetic caches: the user-level cache directory (XDG_CACHE_HOME) is the
  // test run's, and no remote cache comes from the caller's shell; `env`
  // entries given later win.
  std::vector<std::string> command = {"env",
                                      "XDG_CACHE_HOME=" + (fs::path(testing::TempDir()) / "wasmship-e2e-xdg").string(),
                                      "WASMSHIP_REMOTE_CACHE=", "WASMSHIP_REMOTE_CACHE_READ_ONLY="};
  command.insert(command.end(), env.begin(), env.end());
  command.insert(command.end(), {"/bin/sh", "-c", "exec \"$@\" 2>\"$0\"", err_file});
  command.insert(command.end(), argv.begin(), argv.end());
  Result<ProcessResult> result = RunProcess(command, {.cwd = cwd});
  RunResult run;
  if (!result) {
    run.err = result.error().message;
    return run;
  }
  run.exit_code = result->term_signal != 0 ? 128 + result->term_signal : result->exit_code;
  run.out = result->output;
  std::ifstream in(err_file);
  std::stringstream text;
  text << in.rdbuf();
  run.err = text.str();
  fs::remove(err_file);
  return run;
}

std::string SharedCacheDir() { return (fs::path(testing::TempDir()) / "wasmship-e2e-cache").string(); }

std::string SourcePath(const std::string& relative) {
  return std::string(WASMSHIP_SOURCE_DIR) + "/" + relative;
}

std::string MinimalAppSource(const std::string& text) {
  return "#include <cstdio>\n#include <wasmship/ui.hpp>\n"
         "UI_COMPOSABLE ws::View Root() {\n"
         "  std::printf(\"%s\\n\", \"" + text + "\");\n"
         "  return ws::Text({.text = \"" + text + "\"});\n"
         "}\n"
         "UI_APP(Root)\n";
}

ProjectSandbox::ProjectSandbox() {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  test_name_ = std::string(info->test_suite_name()) + "." + info->name();
  dir_ = (fs::path(testing::TempDir()) / "wasmship-e2e" / test_name_).string();
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

ProjectSandbox::~ProjectSandbox() {
  if (!testing::Test::HasFailure()) fs::remove_all(dir_);
}

void ProjectSandbox::CopyExample(const std::string& name) {
  fs::copy(SourcePath("examples/" + name), dir_, fs::copy_options::recursive);
  // A developer's own build of the example must not leak into the test.
  fs::remove_all(dir_ + "/dist");
  fs::remove_all(dir_ + "/.wasmship");
  for (const auto& f : fs::recursive_directory_iterator(dir_ + "/src")) {
    if (f.path().extension() == ".cpp") std::ofstream(f.path(), std::ios::app) << Marker();
  }
}

// Unique per test process: the shared cache outlives a test run, and a
// test's own sources must miss in it the first time.
std::string ProjectSandbox::Marker() const {
  static const std::string run = std::to_string(::getpid()) + "." +
                                 std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return "// e2e test: " + test_name_ + " run " + run + "\n";
}

void ProjectSandbox::Write(const std::string& relative, const std::string& text) {
  fs::create_directories(fs::path(Path(relative)).parent_path());
  bool source = fs::path(relative).extension() == ".cpp" && text.find(Marker()) == std::string::npos;
  std::ofstream(Path(relative), std::ios::binary) << text << (source ? Marker() : "");
}

std::string ProjectSandbox::Read(const std::string& relative) const {
  std::ifstream in(Path(relative), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ExpectContains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << text;
}

std::vector<std::string> ToolSteps(const RunResult& build) {
  std::vector<std::string> steps;
  std::istringstream lines(build.out + build.err);
  for (std::string line; std::getline(lines, line);) {
    for (const char* tool : {"] compile ", "] precompile ", "] expand ", "] link ", "] optimize ", "] bundle "}) {
      if (line.find(tool) != std::string::npos) steps.push_back(line);
    }
  }
  return steps;
}

void ProjectSandbox::AddSigningKey() {
  fs::create_directories(Path("keys"));  // keygen does not make directories up
  RunResult keygen = Wasmship({"keygen", "-o", "keys/release.key"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  Write("wasmship.yaml", Read("wasmship.yaml") + "signing: { key: keys/release.key }\n");
}

bool ProjectSandbox::Exists(const std::string& relative) const { return fs::exists(Path(relative)); }

std::vector<std::string> ProjectSandbox::Environment() const {
  // Plain lines, no colors; no signing key or build date from the caller's shell.
  std::vector<std::string> env = {"CI=1", "WASMSHIP_SIGNING_KEY=", "SOURCE_DATE_EPOCH="};
  env.push_back("WASMSHIP_CACHE_DIR=" + (private_cache_ ? Path(".wasmship/cache") : SharedCacheDir()));
  return env;
}

std::vector<std::string> ProjectSandbox::FilesIn(const std::string& relative, const std::string& extension) const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(Path(relative))) {
    if (entry.path().extension() == extension) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

RunResult ProjectSandbox::Wasmship(const std::vector<std::string>& args, const std::vector<std::string>& env,
                                   const std::string& cwd) const {
  std::vector<std::string> argv = {WASMSHIP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> full_env = Environment();
  full_env.insert(full_env.end(), env.begin(), env.end());  // later entries win in env(1)
  return RunCommand(argv, cwd.empty() ? dir_ : Path(cwd), full_env);
}

}  // namespace ws::e2e
