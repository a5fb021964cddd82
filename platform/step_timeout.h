// How long one build step (a compile, a link, an optimize, a bundle, `run`'s
// C compile of an aot module) may run before wasmship stops it: a step that
// runs for ever is stuck (a compiler bug, a launcher waiting on a network).
// The limit is generous; wasmship.yaml's build.step_timeout and the
// environment's WASMSHIP_STEP_TIMEOUT change it.
#pragma once

#include <optional>
#include <string_view>

#include "diagnostics/result.h"

namespace ws {

inline constexpr double kDefaultStepTimeoutSeconds = 20 * 60;
inline constexpr const char* kStepTimeoutVariable = "WASMSHIP_STEP_TIMEOUT";

// "90s", "1.5s", "500ms", "5m" or "5min", "1h", or plain seconds ("90"), in
// seconds; nullopt when the text is not a positive duration of at most a week.
std::optional<double> ParseDuration(std::string_view text);

// WASMSHIP_STEP_TIMEOUT in seconds; nullopt when unset or empty, an error
// naming the variable when it is not a duration.
Result<std::optional<double>> StepTimeoutFromEnvironment();

}  // namespace ws
