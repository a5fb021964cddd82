// The hidden `__optimize` step of a build: wasm-opt-passes in its own
// process (Binaryen keeps global state and exits on a bad pass name), so
// variants optimize in parallel and a Binaryen failure cannot take the build
// down. Writes the module, a report (passes, traps) and the symbol map
// (function index → demangled name; the bundle step adds components).
#include <cxxabi.h>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "host-abi/host_abi.h"
#include "platform/atomic_file.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws {
namespace {

using nlohmann::ordered_json;

struct OptimizeFlags {
  std::string pipeline = "debug";
  std::string features = "mvp";
  int strip_logs_below = -1;
  bool strip = false;
  bool low_memory_unused = false;
  std::string report;
  std::string symbols;
  std::string output;
  std::string input;
  std::string variant;
};

std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), std::free);
  return status == 0 && out ? std::string(out.get()) : name;
}

ordered_json Report(const OptimizeFlags& flags, const opt::OptimizeResult& result) {
  ordered_json passes = ordered_json::array();
  for (const opt::PassReport& p : result.passes) {
    passes.push_back({{"name", p.name}, {"bytes_before", p.bytes_before}, {"bytes_after", p.bytes_after},
                      {"ms", std::round(p.ms * 10) / 10}, {"summary", p.summary}});
  }
  ordered_json traps = ordered_json::array();
  for (const opt::TrapSites& t : result.traps) {
    traps.push_back({{"function", t.function}, {"unreachable", t.unreachable}, {"abort_calls", t.abort_calls},
                     {"on_frame_path", t.on_frame_path}});
  }
  return {{"pipeline", flags.pipeline}, {"passes", passes}, {"traps", traps}};
}

int Fail(const std::string& message) {
  std::cerr << "wasmship: error: " << message << "\n";
  return kExitBuildError;
}

int RunOptimize(const OptimizeFlags& flags) {
  std::optional<opt::Features> features = opt::ParseFeatureList(flags.features);
  if (!features) return Fail("unknown feature in '" + flags.features + "'");
  Result<std::string> input = ReadFile(flags.input, kModuleFile);
  if (!input) return Fail(input.error().message);
  auto wasm = std::span(reinterpret_cast<const uint8_t*>(input->data()), input->size());
  // A feature outside the variant fails the build before anything else.
  if (Status valid = opt::ValidateFeatures(wasm, *features); !valid) {
    std::cerr << "wasmship: error: variant " << flags.variant << ": " << valid.error().message << "\n"
              << "note: guard code for an optional feature with its macro (__wasm_simd128__, __wasm_atomics__, ...)"
                 " so that variants without it leave it out\n";
    return kExitBuildError;
  }
  opt::OptimizeOptions options;
  options.pipeline = flags.pipeline == "size" ? opt::Pipeline::kSize
                     : flags.pipeline == "speed" ? opt::Pipeline::kSpeed
                                                 : opt::Pipeline::kDebug;
  options.features = *features;
  options.strip_logs_below = flags.strip_logs_below;
  options.strip = flags.strip;
  options.low_memory_unused = flags.low_memory_unused;
  for (const host_abi::Export& e : host_abi::kExports) options.keep_exports.emplace_back(e.name);
  options.keep_exports.emplace_back(host_abi::kMemoryExport);
  Result<opt::OptimizeResult> result = opt::Optimize(wasm, options);
  if (!result) return Fail(result.error().message);
  ordered_json symbols = ordered_json::object();
  for (const auto& [index, name] : result->symbols) symbols[std::to_string(index)] = Demangle(name);
  std::string module(result->wasm.begin(), result->wasm.end());
  for (const auto& [path, text] : {std::pair{flags.output, module},
                                   std::pair{flags.report, Report(flags, *result).dump(2) + "\n"},
                                   std::pair{flags.symbols, ordered_json{{"functions", symbols}}.dump(1) + "\n"}}) {
    if (Status written = WriteFileAtomically(path, text); !written) return Fail(written.error().message);
  }
  return kExitOk;
}

}  // namespace

Command AddInternalOptimizeCommand(CLI::App& parent) {
  auto flags = std::make_shared<OptimizeFlags>();
  CLI::App* app = parent.add_subcommand("__optimize", "");
  app->group("");  // hidden: the build's own step
  app->add_option("--pipeline", flags->pipeline)->check(CLI::IsMember({"debug", "size", "speed"}));
  app->add_option("--features", flags->features);
  app->add_option("--variant", flags->variant);
  app->add_option("--strip-logs-below", flags->strip_logs_below);
  app->add_flag("--strip", flags->strip);
  app->add_flag("--low-memory-unused", flags->low_memory_unused);
  app->add_option("--report", flags->report)->required();
  app->add_option("--symbols", flags->symbols)->required();
  app->add_option("--output", flags->output)->required();
  app->add_option("input", flags->input)->required();
  return {app, [flags] { return RunOptimize(*flags); }};
}

}  // namespace ws
