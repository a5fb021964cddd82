#include "cli/perf_run.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "config-yaml/yaml_file.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

double Round(double v) { return std::round(v * 1000) / 1000; }

std::vector<double> AsDoubles(const std::vector<uint64_t>& values, size_t skip = 0) {
  std::vector<double> out;
  for (size_t i = skip; i < values.size(); ++i) out.push_back(static_cast<double>(values[i]));
  return out;
}

// Where step `index` of the script is written, for the trap message.
Span StepSpan(const std::string& path, int index) {
  DiagnosticSink ignored;  // the script was read once already
  std::optional<YamlFile> file = YamlFile::Load(path, ignored);
  if (!file || index < 0 || !file->root().IsSequence() || static_cast<size_t>(index) >= file->root().size()) {
    return {path, 0, 0, 1};
  }
  return file->SpanOf(file->root()[static_cast<size_t>(index)]);
}

std::string TrapText(const host::TrapRecord& trap) {
  std::string text = "in " + trap.during + " at frame " + std::to_string(trap.frame) + ": " + trap.kind;
  if (!trap.message.empty()) text += " (" + trap.message + ")";
  return text;
}

}  // namespace

nlohmann::ordered_json PerfFigures(const host::RunReport& report) {
  size_t startup_frames = static_cast<size_t>(std::max(0, report.startup.first_frame_calls));
  std::vector<double> frame_ms(report.frame_ms.begin() + std::min(startup_frames, report.frame_ms.size()),
                               report.frame_ms.end());
  nlohmann::ordered_json figures = {
      {"startup_ms", Round(report.startup.total_ms)},
      {"frame_ms_p99", Round(host::Percentile(frame_ms, 99))},
      {"input_ms_p99", Round(host::Percentile(report.latency_ms, 99))},
  };
  if (report.engine == "interp") {
    figures["startup_instructions"] = report.startup.instructions;
    figures["frame_instructions_p99"] =
        static_cast<uint64_t>(host::Percentile(AsDoubles(report.instructions, startup_frames), 99));
    figures["input_instructions_p99"] = static_cast<uint64_t>(host::Percentile(AsDoubles(report.input_instructions), 99));
  }
  figures["frames"] = report.frames;
  figures["inputs"] = report.latency_ms.size();
  figures["startup"] = {{"instantiate_ms", Round(report.startup.instantiate_ms)},
                        {"init_ms", Round(report.startup.init_ms)},
                        {"first_frame_ms", Round(report.startup.first_frame_ms)},
                        {"init_instructions", report.startup.init_instructions},
                        {"first_frame_instructions", report.startup.first_frame_instructions}};
  return figures;
}

PerfOutcome RunPerfScript(const PerfRequest& request, DiagnosticSink& sink) {
  PerfOutcome outcome;
  std::optional<std::vector<host::Step>> steps = host::LoadKeyScript(request.script_path, sink);
  if (!steps) {
    outcome.kind = PerfOutcome::Kind::kBadScript;
    return outcome;
  }
  // A measurement writes nothing: screenshot steps are left out.
  std::erase_if(*steps, [](const host::Step& s) { return s.kind == host::Step::Kind::kScreenshot; });
  Result<std::string> module = ReadFile(request.module_path, kModuleFile);
  if (!module) {
    sink.Error({}, "cannot measure " + request.variant + ": " + module.error().message);
    return outcome;
  }
  host::RunOptions options;
  options.wasm.assign(module->begin(), module->end());
  options.engine = request.engine;
  options.memory_limit = request.memory_limit;
  options.steps = std::move(*steps);
  options.assets_dir = request.assets_dir;
  options.cache_dir = request.cache_dir;
  std::ostringstream app_out, app_err;  // the app's own output is not the build's
  host::RunResult result = host::RunApp(options, app_out, app_err);
  if (!result.ok) {
    if (result.error.kind == host::RunErrorKind::kEngineCannotRun) {
      outcome.kind = PerfOutcome::Kind::kCannotRun;
      outcome.why = result.error.message;
      return outcome;
    }
    sink.Error({request.script_path, 0, 0, 1},
               "cannot run " + request.variant + " (" + request.engine + ") for the perf script: " +
                   result.error.message,
               result.error.notes);
    return outcome;
  }
  if (!result.report.traps.empty()) {
    const host::TrapRecord& trap = result.report.traps.front();
    std::vector<std::string> notes;
    for (size_t i = 0; i < trap.stack.size() && i < 8; ++i) notes.push_back("#" + std::to_string(i) + " " + trap.stack[i]);
    notes.push_back("`wasmship run -p release --device D --script " + request.script_path +
                    "` reproduces it; the build's outputs were left as they were");
    sink.Error(StepSpan(request.script_path, trap.step),
               "the app trapped running the perf script on " + request.variant + " (" + request.engine + ") " +
                   TrapText(trap),
               std::move(notes));
    outcome.kind = PerfOutcome::Kind::kTrapped;
    return outcome;
  }
  outcome.kind = PerfOutcome::Kind::kOk;
  outcome.figures = PerfFigures(result.report);
  return outcome;
}

}  // namespace ws
