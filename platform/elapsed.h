// Milliseconds since a steady-clock instant: how every step, reload and
// frame in wasmship is timed for reports.
#pragma once

#include <chrono>

namespace ws {

inline double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace ws
