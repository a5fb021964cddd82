// The performance part of a budget (docs/budgets.md), measured by running
// the manifest's perf_script: interp instruction counts (deterministic: they
// gate) and milliseconds on the device's engine (advisory unless strict).
// One type for the manifest's budgets and the checker's rules.
#pragma once

#include <cstdint>
#include <optional>

namespace ws::size {

struct PerfLimits {
  std::optional<uint64_t> startup_instructions;
  std::optional<uint64_t> frame_instructions_p99;
  std::optional<uint64_t> input_instructions_p99;
  std::optional<double> startup_ms;
  std::optional<double> frame_ms_p99;
  std::optional<double> input_ms_p99;

  // Every limit `over` sets replaces this one's (a device's over the default).
  void Override(const PerfLimits& over) {
    if (over.startup_instructions) startup_instructions = over.startup_instructions;
    if (over.frame_instructions_p99) frame_instructions_p99 = over.frame_instructions_p99;
    if (over.input_instructions_p99) input_instructions_p99 = over.input_instructions_p99;
    if (over.startup_ms) startup_ms = over.startup_ms;
    if (over.frame_ms_p99) frame_ms_p99 = over.frame_ms_p99;
    if (over.input_ms_p99) input_ms_p99 = over.input_ms_p99;
  }
  bool HasInstructionBudgets() const { return startup_instructions || frame_instructions_p99 || input_instructions_p99; }
  bool HasTimeBudgets() const { return startup_ms || frame_ms_p99 || input_ms_p99; }
};

}  // namespace ws::size
