#include "wasm-opt-passes/optimize_step.h"

#include <cxxabi.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "wasm-binary/symbol_map.h"

namespace ws::opt {
namespace {

using nlohmann::ordered_json;

// Unlike wasm::Demangle, tries every name (a plain C name such as "f"
// demangles as a type): the shipped symbol maps have always said so.
std::string Demangle(const std::string& name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), std::free);
  return status == 0 && out ? std::string(out.get()) : name;
}

// Whether auto's speed module fits the device budgets, and what it measured.
struct SpeedCheck {
  uint64_t wasm_bytes = 0;
  uint64_t bundle_estimate = 0;  // 0 when there is no bundle limit
  std::string over;               // why it does not fit; empty when it does
};

// The bundle's payload exactly as the bundle step compresses it (an
// unsigned bundle with a minimal manifest), plus kBundleAllowance for the
// real manifest and the signature.
Result<uint64_t> BundleEstimate(const std::vector<uint8_t>& wasm, const OptimizeOptions& options) {
  bundle::BundleInputs inputs;
  inputs.manifest.app = "app";
  inputs.manifest.version = "0";
  inputs.manifest.variant = "estimate";
  inputs.manifest.host_abi = 1;
  inputs.wasm = wasm;
  inputs.compression = {options.zstd_level, options.zstd_long};
  Result<std::vector<uint8_t>> written = bundle::WriteBundle(inputs);
  if (!written) return Error{"estimating the bundle: " + written.error().message};
  Result<std::pair<bundle::Manifest, bundle::BundleLayout>> layout = bundle::InspectBundle(*written);
  if (!layout) return Error{"estimating the bundle: " + layout.error().message};
  return layout->second.payload_bytes + kBundleAllowance;
}

Result<SpeedCheck> CheckSpeedModule(const std::vector<uint8_t>& wasm, const OptimizeOptions& options) {
  SpeedCheck check;
  check.wasm_bytes = wasm.size();
  if (options.speed_max_wasm > 0 && check.wasm_bytes > static_cast<uint64_t>(options.speed_max_wasm)) {
    check.over = "the speed module's " + std::to_string(check.wasm_bytes) + " bytes exceed the wasm budget of " +
                 std::to_string(options.speed_max_wasm);
  }
  if (options.speed_max_bundle > 0) {
    Result<uint64_t> estimate = BundleEstimate(wasm, options);
    if (!estimate) return estimate.error();
    check.bundle_estimate = *estimate;
    if (check.over.empty() && *estimate > static_cast<uint64_t>(options.speed_max_bundle)) {
      check.over = "the speed module's bundle (about " + std::to_string(*estimate) +
                   " bytes) would exceed the bundle budget of " + std::to_string(options.speed_max_bundle);
    }
  }
  return check;
}

std::string ReportJson(const OptimizeRequest& request, const OptimizeResult& result, Pipeline ran,
                       const std::optional<SpeedCheck>& check) {
  ordered_json passes = ordered_json::array();
  for (const PassReport& p : result.passes) {
    passes.push_back({{"name", p.name}, {"bytes_before", p.bytes_before}, {"bytes_after", p.bytes_after},
                      {"ms", std::round(p.ms * 10) / 10}, {"summary", p.summary}});
  }
  ordered_json traps = ordered_json::array();
  for (const TrapSites& t : result.traps) {
    traps.push_back({{"function", t.function}, {"unreachable", t.unreachable}, {"abort_calls", t.abort_calls},
                     {"on_frame_path", t.on_frame_path}});
  }
  ordered_json report = {{"pipeline", PipelineName(ran)}};
  if (check) {
    ordered_json budget = {{"wasm_bytes", check->wasm_bytes}, {"max_wasm", request.options.speed_max_wasm}};
    if (request.options.speed_max_bundle > 0) {
      budget["bundle_estimate"] = check->bundle_estimate;
      budget["max_bundle"] = request.options.speed_max_bundle;
    }
    budget["fits"] = check->over.empty();
    if (!check->over.empty()) budget["why_size"] = check->over + ": the size pipeline ran instead";
    report["speed_budget"] = budget;
  }
  report["passes"] = passes;
  report["traps"] = traps;
  return report.dump(2) + "\n";
}

Status WriteOutputs(const OptimizeRequest& request, const OptimizeResult& result, Pipeline ran,
                    const std::optional<SpeedCheck>& check) {
  wasm::SymbolMap symbols;
  for (const auto& [index, name] : result.symbols) symbols[index] = {Demangle(name), std::nullopt};
  std::string module(result.wasm.begin(), result.wasm.end());
  if (Status written = WriteFileAtomically(request.output, module); !written) return written;
  if (Status written = WriteFileAtomically(request.report, ReportJson(request, result, ran, check)); !written) return written;
  return wasm::WriteSymbolMap(request.symbols, symbols);
}

}  // namespace

namespace {

// The first run's failure, explained: a feature outside the variant (the
// module is validated against them when read) gets its note.
Status Explain(const OptimizeRequest& request, std::span<const uint8_t> wasm, const Error& error) {
  if (Status valid = ValidateFeatures(wasm, request.options.features); !valid) {
    return Error{"variant " + request.variant + ": " + valid.error().message +
                 "\nnote: guard code for an optional feature with its macro (__wasm_simd128__, __wasm_atomics__, ...)"
                 " so that variants without it leave it out"};
  }
  return error;
}

}  // namespace

Status RunOptimizeStep(const OptimizeRequest& request) {
  Result<std::string> input = ReadFile(request.input, kModuleFile);
  if (!input) return Error{input.error().message};
  auto wasm = std::span(reinterpret_cast<const uint8_t*>(input->data()), input->size());
  Result<OptimizeResult> result = Optimize(wasm, request.options);
  if (!result) return Explain(request, wasm, result.error());
  Pipeline ran = request.options.pipeline;
  std::optional<SpeedCheck> check;
  bool limited = request.options.speed_max_wasm > 0 || request.options.speed_max_bundle > 0;
  if (ran == Pipeline::kSpeed && limited) {
    Result<SpeedCheck> checked = CheckSpeedModule(result->wasm, request.options);
    if (!checked) return Error{checked.error().message};
    check = *checked;
    if (!check->over.empty()) {
      OptimizeOptions size = request.options;
      size.pipeline = ran = Pipeline::kSize;
      result = Optimize(wasm, size);
      if (!result) return Error{result.error().message};
    }
  }
  return WriteOutputs(request, *result, ran, check);
}

Result<OptimizeRequest> ReadOptimizeRequest(const std::string& path) {
  Result<std::string> text = ReadFile(path, kStateFile);
  if (!text) return Error{text.error().message};
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  Result<OptimizeRequest> request = OptimizeRequestFromJson(parsed);
  if (!request) return Error{path + ": " + request.error().message};
  return request;
}

}  // namespace ws::opt
