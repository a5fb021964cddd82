#include "wasm-opt-passes/optimize_step.h"

#include <cxxabi.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

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

std::string ReportJson(const OptimizeRequest& request, const OptimizeResult& result) {
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
  ordered_json report = {
      {"pipeline", PipelineName(request.options.pipeline)}, {"passes", passes}, {"traps", traps}};
  return report.dump(2) + "\n";
}

Status WriteOutputs(const OptimizeRequest& request, const OptimizeResult& result) {
  wasm::SymbolMap symbols;
  for (const auto& [index, name] : result.symbols) symbols[index] = {Demangle(name), std::nullopt};
  std::string module(result.wasm.begin(), result.wasm.end());
  if (Status written = WriteFileAtomically(request.output, module); !written) return written;
  if (Status written = WriteFileAtomically(request.report, ReportJson(request, result)); !written) return written;
  return wasm::WriteSymbolMap(request.symbols, symbols);
}

}  // namespace

Status RunOptimizeStep(const OptimizeRequest& request) {
  Result<std::string> input = ReadFile(request.input, kModuleFile);
  if (!input) return Error{input.error().message};
  auto wasm = std::span(reinterpret_cast<const uint8_t*>(input->data()), input->size());
  Result<OptimizeResult> result = Optimize(wasm, request.options);
  if (result) return WriteOutputs(request, *result);
  // Optimize validates what it reads against the variant's features; only
  // a failure needs telling apart, so the second reading happens only then.
  if (Status valid = ValidateFeatures(wasm, request.options.features); !valid) {
    return Error{"variant " + request.variant + ": " + valid.error().message +
                 "\nnote: guard code for an optional feature with its macro (__wasm_simd128__, __wasm_atomics__, ...)"
                 " so that variants without it leave it out"};
  }
  return Error{result.error().message};
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
