// The optimize step of one variant as a value, like the bundle step's
// PackageRequest (compiler-driver/package.h): every option the optimizer
// takes (OptimizeOptions) and where its input and outputs are.
// compiler-driver fills it from the profile and the variant; its one
// serialization, OptimizeRequestToJson, is both the step's cache key
// (compiler-driver/link_job.cc) and the file that `wasmship __optimize
// --request FILE` runs (optimize_step.h).
//
// How to add an optimizer pass with a per-profile option (docs/extending.md):
//   1. the pass: <name>_pass.h/.cc with a CustomPass entry (custom_pass.h),
//      its test <name>_pass_test.cc, both listed in CMakeLists.txt, and one
//      line in pass_registry.cc;
//   2. the option: a field of OptimizeOptions (wasm_opt_passes.h) and one
//      line in its Fields(). That alone puts it in this request, in the
//      cache key and in what the subprocess receives (a field of a type no
//      other field has also needs a ToJson/FromJson case in
//      optimize_request.cc; optimize_request_test fails until it has one);
//   3. the profile key: Profile (compiler-driver/manifest.h), its parsing
//      (manifest.cc), and its value in OptimizeRequestFor (build_plan.cc);
//   4. docs/optimizer.md and docs/manifest.md.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics/result.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws::opt {

// The exports a device calls: metadce keeps these and removes the others.
const std::vector<std::string>& DeviceExports();

struct OptimizeRequest {
  std::string input;    // the linked module
  std::string output;   // the optimized module
  std::string report;   // {"pipeline", "passes", "traps"}
  std::string symbols;  // the symbol map, names only (wasm-binary/symbol_map.h)
  std::string variant;  // names the variant in errors
  std::string assets;   // the app's assets directory (options.preinit_fetch); empty when none
  OptimizeOptions options = {.keep_exports = DeviceExports()};

  // Every field but `options`, with its name in the serialization.
  template <typename Self, typename Visit>
  static void Fields(Self& self, Visit&& visit) {
    visit("input", self.input);
    visit("output", self.output);
    visit("report", self.report);
    visit("symbols", self.symbols);
    visit("variant", self.variant);
    visit("assets", self.assets);
  }

  bool operator==(const OptimizeRequest&) const = default;
};

// "debug", "size", "speed" (the profile's `optimize`, "none" being debug).
std::string PipelineName(Pipeline pipeline);

nlohmann::json OptimizeRequestToJson(const OptimizeRequest& request);
// An error says which field is wrong.
Result<OptimizeRequest> OptimizeRequestFromJson(const nlohmann::json& json);

// The cache key's part for the optimize step: the whole serialization.
std::string OptimizeRequestKey(const OptimizeRequest& request);

}  // namespace ws::opt
