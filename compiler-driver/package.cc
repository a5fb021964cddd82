#include "compiler-driver/package.h"

#include <filesystem>
#include <span>

#include "ota-bundle/bundle_file.h"
#include "platform/atomic_file.h"
#include "platform/subprocess.h"
#include "size-reports/size_reports.h"
#include "wasm-binary/symbol_map.h"

namespace ws {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string Text(const std::vector<uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

// The optimizer's symbol map: function index → demangled name (none
// without one: the size analysis then names functions from the module).
size::FunctionNames ReadNames(const std::string& path) {
  Result<wasm::SymbolMap> map = wasm::ReadSymbolMap(path);
  return map ? wasm::SymbolNames(*map) : size::FunctionNames{};
}

// Where app and runtime functions come from: the objects' symbol tables
// (an LTO link map names none of them) and the app's UI_COMPOSABLEs.
// Without llvm-nm, or when it fails, parts come from the link map alone.
size::SourceInfo SourcesOf(const PackageRequest& r) {
  size::SourceInfo info;
  info.sources = r.sources;
  for (const std::string& source : r.app_sources) {
    if (Result<std::string> text = ReadFile(source)) info.composables.merge(size::ComposablesIn(*text));
  }
  for (const auto& [path, display] : r.runtime_headers) {
    if (Result<std::string> text = ReadFile(path)) info.runtime_headers.emplace_back(display, *text);
  }
  if (r.llvm_nm.empty() || r.sources.empty()) return info;
  std::vector<std::string> argv = {r.llvm_nm, "--defined-only", "--demangle", "--print-file-name"};
  for (const auto& [object, source] : r.sources) argv.push_back(object);
  Result<ProcessResult> nm = RunProcess(argv);
  if (nm && nm->Succeeded()) size::AddDefinedSymbols(info, nm->output);
  return info;
}

// dist/symbols/<variant>.map.json: each function's name and component.
wasm::SymbolMap WithComponents(const size::FunctionNames& names, const size::ModuleSizes& sizes) {
  std::map<uint32_t, const size::FunctionSize*> by_index;
  for (const size::FunctionSize& f : sizes.functions) by_index[f.index] = &f;
  wasm::SymbolMap map;
  for (const auto& [index, name] : names) {
    wasm::SymbolEntry& entry = map[index] = {name, std::nullopt};
    auto f = by_index.find(index);
    if (f == by_index.end()) continue;
    entry.component = f->second->component;
    if (!f->second->part.empty()) entry.part = f->second->part;
    if (!f->second->composable.empty()) entry.composable = f->second->composable;
  }
  return map;
}

// The baseline's bundle of `variant`: the one dist/index.json lists for it,
// else the only full bundle of that variant in the directory.
Result<std::optional<std::string>> FindBaselineBundle(const std::string& dir, const std::string& variant) {
  if (Result<std::string> index = ReadFile(dir + "/index.json", kReportFile)) {
    json parsed = json::parse(*index, nullptr, false);
    if (parsed.is_object() && parsed["devices"].is_object()) {
      for (const auto& [device, entry] : parsed["devices"].items()) {
        if (entry.is_object() && entry.value("variant", "") == variant && entry["bundle"].is_string()) {
          return std::optional<std::string>(dir + "/" + entry["bundle"].get<std::string>());
        }
      }
    }
  }
  std::vector<std::string> found;
  for (const std::string& sub : {dir, dir + "/bundles"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(sub, ec)) {
      if (entry.path().extension() != ".wsb") continue;
      Result<std::string> bytes = ReadFile(entry.path().string(), bundle::kBundleFile);
      if (!bytes) continue;
      auto inspected = bundle::InspectBundle(Bytes(*bytes));
      if (inspected && inspected->first.variant == variant && !inspected->first.delta_base) {
        found.push_back(entry.path().string());
      }
    }
  }
  if (found.size() > 1) {
    return Error{"the baseline directory " + dir + " has " + std::to_string(found.size()) + " bundles of variant " +
                 variant + " and no index.json saying which one is current"};
  }
  if (found.empty()) return std::optional<std::string>();
  return std::optional<std::string>(found.front());
}

// The module inside the baseline bundle, verified like a device would.
Result<std::vector<uint8_t>> BaselineModule(const std::string& path, const bundle::SigningKey* key) {
  Result<std::string> bytes = ReadFile(path, bundle::kBundleFile);
  if (!bytes) return Error{"cannot read the baseline bundle: " + bytes.error().message};
  bundle::ReadOptions options;
  if (key != nullptr) options.key = &key->public_key;
  Result<bundle::Bundle> base = bundle::ReadBundle(Bytes(*bytes), options);
  if (!base) return Error{"the baseline bundle " + path + " is not valid: " + base.error().message};
  return std::move(base->wasm);
}

struct Written {
  std::vector<uint8_t> bytes;
  bundle::Manifest manifest;
};

Result<Written> WriteOne(const PackageRequest& r, std::span<const uint8_t> wasm, std::span<const uint8_t> base,
                         const bundle::SigningKey* key, const std::string& out) {
  bundle::BundleInputs inputs;
  inputs.manifest = r.manifest;
  inputs.wasm = wasm;
  inputs.delta_base = base;
  inputs.compression = {r.level, r.long_matching};
  inputs.key = key;
  Result<std::vector<uint8_t>> bytes = bundle::WriteBundle(inputs);
  if (!bytes) return Error{bytes.error().message};
  auto read = bundle::InspectBundle(*bytes);
  if (!read) return Error{"the bundle just written does not read back: " + read.error().message};
  if (Status written = WriteFileAtomically(out, Text(*bytes)); !written) return Error{written.error().message};
  return Written{std::move(*bytes), read->first};
}

ordered_json BundleJson(const Written& w) {
  return {{"bytes", w.bytes.size()},
          {"sha256", bundle::Sha256Hex(w.bytes)},
          {"payload_bytes", w.manifest.payload_bytes},
          {"signed", false},
          {"level", w.manifest.level}};
}

// Identifies what was built: the module and what the bundle says about it.
std::string BuildId(const bundle::Manifest& m, const std::string& module_sha) {
  std::string inputs = module_sha + "\n" + m.app + "\n" + m.version + "\n" + m.variant + "\n" + m.toolchain;
  return bundle::Sha256Hex(Bytes(inputs)).substr(0, 16);
}

}  // namespace

std::string BundleFileName(const std::string& app, const std::string& version, const std::string& variant) {
  return app + "-" + version + "-" + variant + ".wsb";
}

Result<ordered_json> Package(const PackageRequest& request) {
  Result<std::string> module = ReadFile(request.module, kModuleFile);
  if (!module) return Error{module.error().message};
  PackageRequest r = request;
  if (r.manifest.build_id.empty()) r.manifest.build_id = BuildId(r.manifest, bundle::Sha256Hex(Bytes(*module)));
  std::optional<bundle::SigningKey> key;
  if (r.key.kind != SigningKeySource::kNone) {
    Result<bundle::SigningKey> loaded = LoadSigningKey(r.key);
    if (!loaded) return Error{loaded.error().message};
    key = *loaded;
  }
  const bundle::SigningKey* signing = key ? &*key : nullptr;
  Result<Written> full = WriteOne(r, Bytes(*module), {}, signing, r.bundle_out);
  if (!full) return Error{full.error().message};
  ordered_json result = {{"module_sha256", bundle::Sha256Hex(Bytes(*module))}, {"bundle", BundleJson(*full)}};
  result["bundle"]["signed"] = signing != nullptr;
  result["warnings"] = ordered_json::array();

  size::FunctionNames names = ReadNames(r.optimizer_symbols);
  Result<std::string> map_text = ReadFile(r.link_map, kReportFile);
  size::SourceInfo sources = SourcesOf(r);
  size::ComponentMap components =
      map_text ? size::ComponentMap::FromLinkMap(*map_text, r.objects, &sources) : size::ComponentMap::ByName();
  Result<size::ModuleSizes> sizes = size::AnalyzeModule(Bytes(*module), names, &components);
  if (!sizes) return Error{"size analysis: " + sizes.error().message};
  size::EstimateCompressedShares(*sizes, Bytes(*module), full->manifest.payload_bytes, r.level);
  result["size"] = size::ToJson(*sizes);
  Result<wasm::ModuleIdentity> identity = wasm::IdentifyModule(Bytes(*module));
  if (!identity) return Error{"size analysis: " + identity.error().message};
  if (Status written = wasm::WriteSymbolMap(r.symbols_out, WithComponents(names, *sizes), *identity); !written) {
    return Error{written.error().message};
  }

  if (r.baseline_dir.empty()) return result;
  Result<std::optional<std::string>> base_path = FindBaselineBundle(r.baseline_dir, r.manifest.variant);
  if (!base_path) return Error{base_path.error().message};
  if (!*base_path) {
    result["warnings"].push_back("no bundle of variant " + r.manifest.variant + " in " + r.baseline_dir +
                                 "; no delta bundle for it");
    return result;
  }
  Result<std::vector<uint8_t>> base = BaselineModule(**base_path, signing);
  if (!base) return Error{base.error().message};
  Result<Written> delta = WriteOne(r, Bytes(*module), *base, signing, r.delta_out);
  if (!delta) return Error{delta.error().message};
  std::string base_sha = bundle::Sha256Hex(*base);
  std::string name = BundleFileName(r.manifest.app, r.manifest.version, r.manifest.variant);
  name = name.substr(0, name.size() - 4) + ".delta-" + base_sha.substr(0, 12) + ".wsb";
  result["delta"] = {{"name", name},
                     {"bytes", delta->bytes.size()},
                     {"sha256", bundle::Sha256Hex(delta->bytes)},
                     {"base_sha256", base_sha},
                     {"base_bundle", **base_path}};
  return result;
}

// --- the request file ---------------------------------------------------------

json PackageRequestToJson(const PackageRequest& r) {
  const bundle::Manifest& m = r.manifest;
  return {{"module", r.module},
          {"link_map", r.link_map},
          {"optimizer_symbols", r.optimizer_symbols},
          {"objects", r.objects},
          {"sources", r.sources},
          {"app_sources", r.app_sources},
          {"runtime_headers", r.runtime_headers},
          {"llvm_nm", r.llvm_nm},
          {"manifest",
           {{"app", m.app}, {"version", m.version}, {"variant", m.variant}, {"features", m.features},
            {"devices", m.devices}, {"host_abi", m.host_abi}, {"created", m.created}, {"toolchain", m.toolchain},
            {"build_id", m.build_id}}},
          {"level", r.level},
          {"long_matching", r.long_matching},
          {"key", {{"kind", static_cast<int>(r.key.kind)}, {"file", r.key.file}, {"key_id", r.key.key_id}}},
          {"baseline_dir", r.baseline_dir},
          {"bundle_out", r.bundle_out},
          {"delta_out", r.delta_out},
          {"symbols_out", r.symbols_out}};
}

Result<PackageRequest> PackageRequestFromJson(const json& j) {
  PackageRequest r;
  try {
    r.module = j.at("module");
    r.link_map = j.at("link_map");
    r.optimizer_symbols = j.at("optimizer_symbols");
    r.objects = j.at("objects").get<std::map<std::string, std::string>>();
    r.sources = j.value("sources", std::vector<std::pair<std::string, std::string>>{});
    r.app_sources = j.value("app_sources", std::vector<std::string>{});
    r.runtime_headers = j.value("runtime_headers", std::vector<std::pair<std::string, std::string>>{});
    r.llvm_nm = j.value("llvm_nm", std::string());
    const json& m = j.at("manifest");
    r.manifest.app = m.at("app");
    r.manifest.version = m.at("version");
    r.manifest.variant = m.at("variant");
    r.manifest.features = m.at("features").get<std::vector<std::string>>();
    r.manifest.devices = m.at("devices").get<std::vector<std::string>>();
    r.manifest.host_abi = m.at("host_abi");
    r.manifest.created = m.at("created");
    r.manifest.toolchain = m.at("toolchain");
    r.manifest.build_id = m.at("build_id");
    r.level = j.at("level");
    r.long_matching = j.at("long_matching");
    r.key.kind = static_cast<SigningKeySource::Kind>(j.at("key").at("kind").get<int>());
    r.key.file = j.at("key").at("file");
    r.key.key_id = j.at("key").at("key_id");
    r.baseline_dir = j.at("baseline_dir");
    r.bundle_out = j.at("bundle_out");
    r.delta_out = j.at("delta_out");
    r.symbols_out = j.at("symbols_out");
  } catch (const json::exception& e) {
    return Error{std::string("malformed package request: ") + e.what()};
  }
  return r;
}

}  // namespace ws
