#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

#include "device-host/device_host.h"

namespace ws::host {
namespace {

std::string Ms(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f ms", ms);
  return text;
}

double Round(double v) { return std::round(v * 1000) / 1000; }

nlohmann::ordered_json Inputs(const RunReport& r) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (size_t i = 0; i < r.latency_ms.size(); ++i) {
    inputs.push_back({{"key", i < r.input_keys.size() ? r.input_keys[i] : ""},
                      {"latency_ms", Round(r.latency_ms[i])},
                      {"instructions", i < r.input_instructions.size() ? r.input_instructions[i] : 0}});
  }
  return inputs;
}

// A script's expect steps (docs/testing.md); `wasmship test` gates on them.
nlohmann::ordered_json Expects(const RunReport& r) {
  nlohmann::ordered_json expects = nlohmann::ordered_json::array();
  for (const ExpectRecord& e : r.expects) {
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const ExpectFailure& f : e.failures) failures.push_back({{"check", f.check}, {"message", f.message}});
    expects.push_back({{"line", e.line}, {"passed", e.passed()}, {"failures", failures}});
  }
  return expects;
}

nlohmann::ordered_json Startup(const StartupFigures& s) {
  return {{"instantiate_ms", Round(s.instantiate_ms)},
          {"init_ms", Round(s.init_ms)},
          {"first_frame_ms", Round(s.first_frame_ms)},
          {"total_ms", Round(s.total_ms)},
          {"instructions", s.instructions},
          {"instantiate_instructions", s.instantiate_instructions},
          {"init_instructions", s.init_instructions},
          {"first_frame_instructions", s.first_frame_instructions},
          {"first_frame_calls", s.first_frame_calls}};
}

}  // namespace

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

std::string ReportText(const RunReport& r) {
  std::string out;
  auto line = [&](const std::string& label, const std::string& value) {
    char text[256];
    std::snprintf(text, sizeof text, "%-22s %s\n", label.c_str(), value.c_str());
    out += text;
  };
  line("engine", r.engine);
  if (r.startup.measured) {
    const StartupFigures& s = r.startup;
    std::string figures = Ms(s.total_ms) + " (instantiate " + Ms(s.instantiate_ms) + ", init " + Ms(s.init_ms) +
                          ", first frame " + Ms(s.first_frame_ms) + ")";
    line("startup", figures);
    if (s.instructions > 0) {
      line("startup instructions", std::to_string(s.instructions) + " (init " + std::to_string(s.init_instructions) +
                                       ", first frame " + std::to_string(s.first_frame_instructions) + ")");
    }
  }
  line("frames", std::to_string(r.frames) + " (" + std::to_string(r.draw_lists) + " drew)");
  line("frame time", "p50 " + Ms(Percentile(r.frame_ms, 50)) + "  p95 " + Ms(Percentile(r.frame_ms, 95)) +
                         "  p99 " + Ms(Percentile(r.frame_ms, 99)) + "  max " +
                         Ms(r.frame_ms.empty() ? 0 : *std::max_element(r.frame_ms.begin(), r.frame_ms.end())));
  if (!r.latency_ms.empty()) {
    line("input latency", "p50 " + Ms(Percentile(r.latency_ms, 50)) + "  p99 " + Ms(Percentile(r.latency_ms, 99)) +
                              "  (" + std::to_string(r.latency_ms.size()) + " inputs)");
  }
  char memory[64];
  std::snprintf(memory, sizeof memory, "%.2f MiB", static_cast<double>(r.peak_memory) / (1 << 20));
  line("peak memory", memory);
  if (r.workers > 0) line("workers", std::to_string(r.workers));
  uint64_t total = std::accumulate(r.instructions.begin(), r.instructions.end(), uint64_t{0});
  if (total > 0) {
    uint64_t max = *std::max_element(r.instructions.begin(), r.instructions.end());
    line("instructions/frame", "mean " + std::to_string(total / std::max<size_t>(1, r.instructions.size())) +
                                   "  max " + std::to_string(max));
  }
  line("traps", std::to_string(r.traps.size()) + (r.traps.empty() ? "" : " (restarted " + std::to_string(r.restarts) + "x)"));
  for (const std::string& s : r.screenshots) line("screenshot", s);
  for (const ExpectRecord& e : r.expects) {
    std::string where = "line " + std::to_string(e.line);
    if (e.passed()) line("expect", where + ": ok");
    for (const ExpectFailure& f : e.failures) line("expect", where + ": FAILED " + f.check + ": " + f.message);
  }
  return out;
}

std::string ReportJson(const RunReport& r) {
  std::vector<double> instructions(r.instructions.begin(), r.instructions.end());
  nlohmann::ordered_json traps = nlohmann::ordered_json::array();
  for (const TrapRecord& t : r.traps) {
    traps.push_back({{"kind", t.kind}, {"message", t.message}, {"during", t.during}, {"frame", t.frame}, {"stack", t.stack}});
    if (t.step >= 0) traps.back()["step"] = t.step + 1;  // 1-based, as the script is read
  }
  nlohmann::ordered_json json = {
      {"engine", r.engine},
      {"startup", Startup(r.startup)},
      {"frames", r.frames},
      {"draw_lists", r.draw_lists},
      {"frame_ms",
       {{"p50", Round(Percentile(r.frame_ms, 50))},
        {"p95", Round(Percentile(r.frame_ms, 95))},
        {"p99", Round(Percentile(r.frame_ms, 99))},
        {"max", Round(Percentile(r.frame_ms, 100))}}},
      {"input_latency_ms",
       {{"p50", Round(Percentile(r.latency_ms, 50))}, {"p99", Round(Percentile(r.latency_ms, 99))},
        {"samples", r.latency_ms.size()}}},
      {"input_instructions",
       {{"p50", Percentile(std::vector<double>(r.input_instructions.begin(), r.input_instructions.end()), 50)},
        {"max", Percentile(std::vector<double>(r.input_instructions.begin(), r.input_instructions.end()), 100)}}},
      {"inputs", Inputs(r)},
      {"peak_memory_bytes", r.peak_memory},
      {"workers", r.workers},
      {"instructions_per_frame",
       {{"mean", instructions.empty() ? 0.0 : std::accumulate(instructions.begin(), instructions.end(), 0.0) /
                                                 static_cast<double>(instructions.size())},
        {"p50", Percentile(instructions, 50)},
        {"max", Percentile(instructions, 100)}}},
      {"traps", traps},
      {"restarts", r.restarts},
      {"screenshots", r.screenshots},
      {"warnings", r.warnings},
  };
  if (!r.expects.empty()) json["expects"] = Expects(r);
  return json.dump(2) + "\n";
}

}  // namespace ws::host
