#include "device-host/app_loader.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <span>

#include "ota-bundle/bundle_file.h"
#include "platform/atomic_file.h"
#include "wasm-binary/symbol_map.h"

namespace ws::host {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

LoadError Refused(std::string message, std::vector<std::string> notes = {}) {
  return {LoadErrorKind::kRefused, std::move(message), std::move(notes)};
}

std::vector<std::string> BaseCandidates(const AppLoadRequest& r) {
  if (!r.base.empty()) return {r.base};
  std::vector<std::string> candidates;
  for (const std::string& dir : {fs::path(r.path).parent_path().string(), r.search_dir}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir.empty() ? "." : dir, ec)) {
      if (entry.path().extension() == ".wsb") candidates.push_back(entry.path().string());
    }
  }
  return candidates;
}

// The module inside a full bundle `path` (a plain module is itself), or
// nullopt when a found candidate is not the base; an error ends the search.
Result<std::optional<std::vector<uint8_t>>, LoadError> BaseModule(const AppLoadRequest& r, const std::string& path,
                                                                   const std::string& bytes, const std::string& sha256) {
  std::vector<uint8_t> module(bytes.begin(), bytes.end());
  if (bytes.rfind("WSB1", 0) == 0) {
    auto inspected = bundle::InspectBundle(Bytes(bytes));
    // A base given with --base is used as is: the reader then says which
    // module the delta wants. Found ones must match.
    bool given = !r.base.empty();
    if (!inspected || inspected->first.delta_base || (!given && inspected->first.wasm_sha256 != sha256)) {
      if (!given) return std::optional<std::vector<uint8_t>>();
      return Refused(path + " cannot be a delta's base: it is " +
                     (inspected ? "a delta bundle itself" : inspected.error().message));
    }
    bundle::ReadOptions options;
    options.key = r.key;
    Result<bundle::Bundle> read = bundle::ReadBundle(Bytes(bytes), options);
    if (!read) return Refused(path + ": " + read.error().message);
    module = std::move(read->wasm);
  }
  if (!r.base.empty() || bundle::Sha256Hex(module) == sha256) return std::optional(std::move(module));
  return std::optional<std::vector<uint8_t>>();
}

// A full bundle (or module) whose module is `sha256`: the delta's base.
Result<std::vector<uint8_t>, LoadError> FindBase(const AppLoadRequest& r, const std::string& sha256) {
  for (const std::string& path : BaseCandidates(r)) {
    Result<std::string, LoadError> bytes = ReadBundleFile(path);
    if (!bytes && !r.base.empty()) return bytes.error();
    if (!bytes) continue;
    Result<std::optional<std::vector<uint8_t>>, LoadError> base = BaseModule(r, path, *bytes, sha256);
    if (!base) return base.error();
    if (*base) return std::move(**base);
  }
  return Refused(r.path + " is a delta bundle for module " + sha256 + ", and no bundle here has it",
                 {"give the bundle the device has with --base FILE"});
}

// Every feature the bundle needs, the device must have.
std::optional<std::string> MissingFeature(const bundle::Manifest& m, const Device& device) {
  std::vector<std::string> has = device.features.Names();
  for (const std::string& f : m.features) {
    if (std::find(has.begin(), has.end(), f) == has.end()) return f;
  }
  return std::nullopt;
}

Status DeviceAccepts(const AppLoadRequest& r, const bundle::Manifest& m, std::vector<std::string>& notes) {
  if (std::optional<std::string> missing = MissingFeature(m, *r.device)) {
    notes = {"run the device's own variant: wasmship run --device " + r.device->name};
    return Error{"device '" + r.device->name + "' cannot run " + r.path + ": the bundle needs " + *missing};
  }
  if (m.host_abi != r.device->host_abi) {
    return Error{r.path + " needs host ABI " + std::to_string(m.host_abi) + "; device '" + r.device->name + "' has " +
                 std::to_string(r.device->host_abi)};
  }
  return {};
}

Result<LoadedApp, LoadError> LoadBundle(const AppLoadRequest& r, const std::string& bytes) {
  auto inspected = bundle::InspectBundle(Bytes(bytes));
  if (!inspected) return Refused(r.path + ": " + inspected.error().message);
  const bundle::Manifest& m = inspected->first;
  std::vector<std::string> notes;
  if (r.device != nullptr) {
    if (Status accepted = DeviceAccepts(r, m, notes); !accepted) return Refused(accepted.error().message, notes);
  }
  bundle::ReadOptions options;
  options.key = r.key;
  std::vector<uint8_t> base;
  if (m.delta_base) {
    Result<std::vector<uint8_t>, LoadError> found = FindBase(r, *m.delta_base);
    if (!found) return found.error();
    base = std::move(*found);
    options.delta_base = base;
  }
  Result<bundle::Bundle> read = bundle::ReadBundle(Bytes(bytes), options);
  if (!read) return Refused(r.path + ": " + read.error().message);
  fs::path symbols = wasm::SymbolMapBesideBundle(r.path, m.variant);
  return LoadedApp{std::move(read->wasm), true, fs::exists(symbols) ? symbols.string() : ""};
}

}  // namespace

Result<std::string, LoadError> ReadBundleFile(const std::string& path) {
  Result<std::string> bytes = ReadFile(path, bundle::kBundleFile);
  if (bytes) return std::move(*bytes);
  std::error_code ec;
  return LoadError{fs::exists(path, ec) ? LoadErrorKind::kRefused : LoadErrorKind::kMissingFile,
                   bytes.error().message, {}};
}

Result<LoadedApp, LoadError> LoadApp(const AppLoadRequest& r) {
  Result<std::string, LoadError> bytes = ReadBundleFile(r.path);
  if (!bytes) return bytes.error();
  // A .wsb whose magic is damaged is still a bundle, and refused as one.
  if (bytes->rfind("WSB1", 0) == 0 || fs::path(r.path).extension() == ".wsb") return LoadBundle(r, *bytes);
  return LoadedApp{std::vector<uint8_t>(bytes->begin(), bytes->end()), false, ""};
}

}  // namespace ws::host
