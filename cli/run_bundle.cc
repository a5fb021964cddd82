#include "cli/run_bundle.h"

#include <algorithm>
#include <filesystem>

#include "cli/exit_code.h"
#include "compiler-driver/signing.h"
#include "ota-bundle/bundle_file.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "wasm-binary/symbol_map.h"
#include "wasm-opt-passes/wasm_opt_passes.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::optional<LoadedApp> Refuse(LoadProblem& problem, int code, std::string message, std::vector<std::string> notes = {}) {
  problem = {code, std::move(message), std::move(notes)};
  return std::nullopt;
}

// A full bundle (or module) whose module is `sha256`: the delta's base.
std::optional<std::vector<uint8_t>> FindBase(const LoadRequest& r, const std::string& sha256,
                                             const bundle::PublicKey* key, LoadProblem& problem) {
  std::vector<std::string> candidates;
  if (!r.base.empty()) {
    candidates.push_back(r.base);
  } else {
    for (const std::string& dir : {fs::path(r.path).parent_path().string(), r.search_dir}) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(dir.empty() ? "." : dir, ec)) {
        if (entry.path().extension() == ".wsb") candidates.push_back(entry.path().string());
      }
    }
  }
  for (const std::string& path : candidates) {
    LoadProblem unreadable;
    std::optional<std::string> bytes = ReadBundleFile(path, unreadable);
    if (!bytes && !r.base.empty()) {
      problem = unreadable;
      return std::nullopt;
    }
    if (!bytes) continue;
    std::vector<uint8_t> module(bytes->begin(), bytes->end());
    if (bytes->rfind("WSB1", 0) == 0) {
      auto inspected = bundle::InspectBundle(Bytes(*bytes));
      // A base given with --base is used as is: the reader then says which
      // module the delta wants. Found ones must match.
      bool given = !r.base.empty();
      if (!inspected || inspected->first.delta_base || (!given && inspected->first.wasm_sha256 != sha256)) {
        if (!given) continue;
        problem = {kExitBundleInvalid, path + " cannot be a delta's base: it is " +
                                           (inspected ? "a delta bundle itself" : inspected.error().message), {}};
        return std::nullopt;
      }
      bundle::ReadOptions options;
      options.key = key;
      Result<bundle::Bundle> read = bundle::ReadBundle(Bytes(*bytes), options);
      if (!read) {
        problem = {kExitBundleInvalid, path + ": " + read.error().message, {}};
        return std::nullopt;
      }
      module = std::move(read->wasm);
    }
    if (!r.base.empty() || bundle::Sha256Hex(module) == sha256) return module;
  }
  problem = {kExitBundleInvalid, r.path + " is a delta bundle for module " + sha256 + ", and no bundle here has it",
             {"give the bundle the device has with --base FILE"}};
  return std::nullopt;
}

// Every feature the bundle needs, the device must have.
std::optional<std::string> MissingFeature(const bundle::Manifest& m, const Device& device) {
  std::vector<std::string> has = device.features.Names();
  for (const std::string& f : m.features) {
    if (std::find(has.begin(), has.end(), f) == has.end()) return f;
  }
  return std::nullopt;
}

std::optional<LoadedApp> LoadBundle(const LoadRequest& r, const std::string& bytes, LoadProblem& problem) {
  Result<std::optional<bundle::PublicKey>> key = LoadVerifyingKey("", r.manifest);
  if (!key) return Refuse(problem, kExitUsage, key.error().message);
  const bundle::PublicKey* verifying = *key ? &**key : nullptr;
  auto inspected = bundle::InspectBundle(Bytes(bytes));
  if (!inspected) return Refuse(problem, kExitBundleInvalid, r.path + ": " + inspected.error().message);
  const bundle::Manifest& m = inspected->first;
  if (r.device != nullptr) {
    if (std::optional<std::string> missing = MissingFeature(m, *r.device)) {
      return Refuse(problem, kExitBundleInvalid,
                    "device '" + r.device->name + "' cannot run " + r.path + ": the bundle needs " + *missing,
                    {"run the device's own variant: wasmship run --device " + r.device->name});
    }
    if (m.host_abi != r.device->host_abi) {
      return Refuse(problem, kExitBundleInvalid,
                    r.path + " needs host ABI " + std::to_string(m.host_abi) + "; device '" + r.device->name +
                        "' has " + std::to_string(r.device->host_abi));
    }
  }
  bundle::ReadOptions options;
  options.key = verifying;
  std::vector<uint8_t> base;
  if (m.delta_base) {
    std::optional<std::vector<uint8_t>> found = FindBase(r, *m.delta_base, verifying, problem);
    if (!found) return std::nullopt;
    base = std::move(*found);
    options.delta_base = base;
  }
  Result<bundle::Bundle> read = bundle::ReadBundle(Bytes(bytes), options);
  if (!read) return Refuse(problem, kExitBundleInvalid, r.path + ": " + read.error().message);
  fs::path symbols = wasm::SymbolMapBesideBundle(r.path, m.variant);
  return LoadedApp{std::move(read->wasm), fs::exists(symbols) ? symbols.string() : ""};
}

}  // namespace

std::optional<std::string> ReadBundleFile(const std::string& path, LoadProblem& problem) {
  Result<std::string> bytes = ReadFile(path, bundle::kBundleFile);
  if (bytes) return std::move(*bytes);
  std::error_code ec;
  problem = {fs::exists(path, ec) ? kExitBundleInvalid : kExitUsage, bytes.error().message, {}};
  return std::nullopt;
}

std::optional<LoadedApp> LoadApp(const LoadRequest& r, LoadProblem& problem) {
  std::optional<std::string> bytes = ReadBundleFile(r.path, problem);
  if (!bytes) return std::nullopt;
  // A .wsb whose magic is damaged is still a bundle, and refused as one.
  if (bytes->rfind("WSB1", 0) == 0 || fs::path(r.path).extension() == ".wsb") return LoadBundle(r, *bytes, problem);
  LoadedApp app{std::vector<uint8_t>(bytes->begin(), bytes->end()), ""};
  if (!r.validate_wasm || r.device == nullptr) return app;
  std::string names;
  for (const std::string& name : r.device->features.Names()) names += (names.empty() ? "" : ",") + name;
  std::optional<opt::Features> features = opt::ParseFeatureList(names);
  Status valid = features ? opt::ValidateFeatures(app.wasm, *features) : Status(Error{"unknown feature"});
  if (!valid) {
    return Refuse(problem, kExitBundleInvalid, "device '" + r.device->name + "' cannot run this module: " + valid.error().message,
                  {"build the device's own variant: wasmship build --device " + r.device->name});
  }
  return app;
}

}  // namespace ws
