// build's performance runner (compiler-driver's PerfRunner): the
// manifest's perf_script run headless on one engine, as `run --script`
// runs it, and the figures the performance budgets read.
#pragma once

#include "compiler-driver/compiler_driver.h"
#include "device-host/device_host.h"

namespace ws {

PerfOutcome RunPerfScript(const PerfRequest& request, DiagnosticSink& sink);

// report.json's variant.perf.runs.<engine> from a run: startup, frame and
// input p99 in ms, and in instructions on interp. Frame figures leave out
// the frames startup already counts (the first picture).
nlohmann::ordered_json PerfFigures(const host::RunReport& report);

}  // namespace ws
