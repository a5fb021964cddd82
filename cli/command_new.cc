// wasmship new DIR: scaffold an app that builds as it is.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = R"(# wasmship project manifest; see `wasmship build --help`.
app: { name: {{name}}, version: 0.1.0 }
sources: [src/*.cpp]
include: [src]
devices: devices.yaml
profiles:
  release: { opt: Oz, lto: true, strip: true }
  debug:   { opt: O1, lto: false, strip: false }
)";

constexpr const char* kDevices = R"(# The devices this app ships to; one build per distinct feature set.
devices:
  tv-2019:    { simd: false, threads: false, cores: 4, memory: 128MiB, engine: interp, host_abi: 1 }
  stick-lite: { simd: false, threads: false, cores: 4, memory: 64MiB,  engine: interp, host_abi: 1 }
)";

constexpr const char* kMain = R"cpp(#include <cstdio>
#include <wasmship/ui.hpp>

// The app's root: a centered, focusable greeting, in the compose DSL.
UI_COMPOSABLE ws::View App() {
  std::printf("Hello from {{name}}!\n");
  auto focused = ws::signal(false);
  return compose(R"ui(
    Stack(width: 100%, height: 100%, align: Center, justify: Center) {
      Box(padding: 32, radius: 16, background: #2B2F36, focusable: true, transition: 150ms,
          scale: {focused() ? 1.05f : 1.0f}, on_focus: {focused.set(true)}, on_blur: {focused.set(false)}) {
        Text(text: "Hello from {{name}}!", style: Headline)
      }
    }
  )ui");
}

UI_APP(App)
)cpp";

// One scenario for `wasmship test`, so that the app is tested from its first build.
constexpr const char* kSmokeTest = R"(# A scenario of `wasmship test` (docs/testing.md): the steps run in order on
# every variant and engine the devices need; expect steps check what the app
# shows. To compare screens too, add `screenshot_matches: golden/home.png` to
# an expect and record it once with `wasmship test --update-goldens`.
- expect: { text_visible: "Hello from {{name}}!", no_traps: true }
- key: select
- wait: 200ms
- expect: { focused_text: "Hello from {{name}}!", no_traps: true }
)";

constexpr const char* kGitignore = "dist/\n.wasmship/\n";

std::string Fill(std::string text, const std::string& name) {
  for (size_t at; (at = text.find("{{name}}")) != std::string::npos;) text.replace(at, 8, name);
  return text;
}

// App names become file names: lowercase letters, digits, '-' and '_'.
std::string AppNameFor(const fs::path& dir) {
  std::string name;
  for (char c : fs::absolute(dir).lexically_normal().filename().string()) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "app" : name;
}

int RunNew(const std::string& dir, const GlobalOptions& global) {
  if (dir.empty()) {
    return Fail(global, kExitUsage, "the directory name is empty",
                {"name the directory to create, for example: wasmship new myapp"});
  }
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return Fail(global, kExitUsage, "'" + dir + "' already exists and is not an empty directory",
                {"choose a new directory name; wasmship new never overwrites files"});
  }
  std::string name = AppNameFor(dir);
  const std::pair<const char*, std::string> files[] = {
      {"wasmship.yaml", Fill(kManifest, name)},
      {"devices.yaml", kDevices},
      {"src/main.cpp", Fill(kMain, name)},
      {"tests/smoke.yaml", Fill(kSmokeTest, name)},
      {".gitignore", kGitignore},
  };
  for (const auto& [path, text] : files) {
    if (Status written = WriteFileAtomically((fs::path(dir) / path).string(), text); !written) {
      return Fail(global, kExitBuildError, written.error().message);
    }
  }
  if (!global.quiet) {
    std::cout << "Created app '" << name << "' in " << dir << "\n"
              << "  cd " << dir << " && wasmship build\n"
              << "  wasmship test  (runs tests/smoke.yaml)\n";
  }
  return kExitOk;
}

}  // namespace

Command AddNewCommand(CLI::App& parent, const GlobalOptions& global) {
  auto dir = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("new", "Scaffold an app (wasmship.yaml, devices.yaml, src/main.cpp, tests/smoke.yaml)");
  app->add_option("DIR", *dir, "Directory to create (must not exist or be empty)")->required();
  return {app, [dir, &global] { return RunNew(*dir, global); }};
}

}  // namespace ws
