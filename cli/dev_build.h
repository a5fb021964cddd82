// One build of `wasmship dev`: the device's variant built in-process with
// compiler-driver's Build(), timed per stage for the reload line, its
// diagnostics collected (not printed: a build runs on a background thread
// while the window keeps drawing), and the new module loaded from its
// bundle as a device would load it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler-driver/compiler_driver.h"
#include "diagnostics/diagnostic.h"
#include "feature-matrix/device_matrix.h"

namespace ws {

// Wall time of each stage in ms: the union of its steps' intervals, so
// parallel compiles count once.
struct StepTimes {
  double expand = 0;
  double compile = 0;
  double link = 0;
  double optimize = 0;
};

struct DevBuildRequest {
  std::string manifest_path;  // wasmship.yaml (the build runs in the project directory)
  std::string profile = "debug";
  std::optional<Device> device;  // build and load its variant; none: the profile's one variant
  std::string self;              // the wasmship binary
  std::string tool_version;
  bool color = false;  // tools print colored diagnostics
  // Also told of every step (the first build shows progress); not owned.
  BuildObserver* forward = nullptr;
};

struct DevBuildResult {
  BuildStatus status = BuildStatus::kConfigError;
  bool loaded = false;  // built and its bundle loaded: `wasm` is the new module
  double ms = 0;
  StepTimes steps;
  // Errors with file:line:col where the tool gave one (clang, the DSL
  // expander, wasmship.yaml), then the build's own.
  std::vector<Diagnostic> errors;
  // What the build would have printed: the tools' output as they ended,
  // then the build's diagnostics (printed by the caller with PrintDiagnostics).
  std::string tool_output;
  std::vector<Diagnostic> diagnostics;
  // "waiting for another build...", damaged cache entries (already
  // printed when the request had a `forward` observer)
  std::vector<std::string> messages;
  std::vector<uint8_t> wasm;
  std::map<uint32_t, std::string> symbols;
  std::string bundle_path;
};

DevBuildResult DevBuild(const DevBuildRequest& request);

// The "file:line:col: error: message" lines in a tool's output (clang's
// format, which the DSL expander and wasmship's printer share), colors
// stripped. Lines of other levels and excerpts are skipped.
std::vector<Diagnostic> ParseToolErrors(const std::string& output);

}  // namespace ws
