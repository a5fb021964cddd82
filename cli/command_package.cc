// The hidden `__package` step of a build: one variant's bundle, delta,
// size analysis and symbol map (compiler-driver/package.h), in its own
// process so that variants package in parallel.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "platform/heap_tuning.h"
#include "compiler-driver/package.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

int RunPackage(const std::string& request_path, const std::string& result_path, const GlobalOptions& global) {
  KeepFreedMemory();  // a step of its own: reuse beats giving memory back
  auto fail = [&](std::string message) { return Fail(global, kExitBuildError, std::move(message)); };
  Result<std::string> text = ReadFile(request_path, kStateFile);
  if (!text) return fail(text.error().message);
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  Result<PackageRequest> request = PackageRequestFromJson(parsed);
  if (!request) return fail(request.error().message);
  Result<nlohmann::ordered_json> result = Package(*request);
  if (!result) return fail(request->manifest.variant + ": " + result.error().message);
  if (Status written = WriteFileAtomically(result_path, result->dump(1) + "\n"); !written) {
    return fail(written.error().message);
  }
  return kExitOk;
}

}  // namespace

Command AddInternalPackageCommand(CLI::App& parent, const GlobalOptions& global) {
  auto request = std::make_shared<std::string>();
  auto result = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("__package", "");
  app->group("");  // hidden: the build's own step
  app->add_option("--request", *request)->required();
  app->add_option("--result", *result)->required();
  return {app, [request, result, &global] { return RunPackage(*request, *result, global); }};
}

}  // namespace ws
