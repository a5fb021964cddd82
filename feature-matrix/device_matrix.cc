#include "feature-matrix/device_matrix.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "config-yaml/yaml_file.h"
#include "feature-matrix/device_matrix_fast.h"
#include "platform/atomic_file.h"
#include "diagnostics/suggest.h"
#include "host-abi/host_abi.h"

namespace ws {
namespace {

constexpr int kSupportedHostAbi = host_abi::kVersion;
// wasm32 addresses 4 GiB (65,536 pages of 64 KiB). Below 1 MiB, the runtime's
// data, its 256 KiB shadow stack and the first frame's heap do not fit.
constexpr uint64_t kMinMemory = 1ull << 20;
constexpr uint64_t kMaxMemory = 4ull << 30;

std::string MemoryText(uint64_t bytes) {
  if (bytes == 0) return "0";
  if (bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "GiB";
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
  if (bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
  return std::to_string(bytes) + " bytes";
}

void ReadMemory(YamlReader& r, const YAML::Node& node, const std::string& what, Device& d) {
  std::optional<uint64_t> bytes = r.Size(node, what);
  if (!bytes) return;
  if (*bytes < kMinMemory || *bytes > kMaxMemory) {
    r.Error(node, what + " is " + MemoryText(*bytes) + ", outside the valid range " + MemoryText(kMinMemory) +
                      " to " + MemoryText(kMaxMemory),
            {"a wasm32 module addresses at most 4GiB, and the runtime needs at least 1MiB (its data, "
             "a 256 KiB stack and the UI's heap)"});
    return;
  }
  d.memory = *bytes;
}

// Features that every module needs, or that another feature needs
// (wasm_features.def says which and why). A device without them could never
// build, and the failure would seem to blame the app's code.
void CheckBuildable(YamlReader& r, const YAML::Node& node, const std::string& name, const FeatureSet& declared) {
  for (const wasm::WasmFeatureRequirement& rule : wasm::kWasmFeatureRequirements) {
    std::string feature(wasm::Info(rule.feature).name);
    if (node[feature] && !declared.Has(rule.feature)) {
      r.Error(node[feature],
              "device '" + name + "' has " + feature + ": false, but " + std::string(rule.because) +
                  ", so no module can be built without it",
              {"remove `" + feature + ": false`: " + std::string(rule.hint)});
    }
  }
  for (const wasm::WasmFeatureImplication& rule : wasm::kWasmFeatureImplications) {
    std::string feature(wasm::Info(rule.feature).name), implied(wasm::Info(rule.implied).name);
    if (declared.Has(rule.feature) && node[implied] && !declared.Has(rule.implied)) {
      r.Error(node[implied],
              "device '" + name + "' has " + feature + ": true and " + implied + ": false, but " +
                  std::string(rule.because),
              {"remove `" + implied + ": false`, or set `" + feature + ": false` if the engine lacks " +
               std::string(rule.implied_text)});
    }
  }
}

const std::vector<std::string>& DeviceKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = FeatureNames();
    k.insert(k.end(), {"cores", "memory", "engine", "host_abi"});
    return k;
  }();
  return keys;
}

bool ValidDeviceName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

void ReadDevice(YamlReader& r, const std::string& name, const YAML::Node& key, const YAML::Node& node,
                DeviceMatrix& matrix) {
  Device d;
  d.name = name;
  d.span = r.file().SpanOf(key);
  std::string what = "devices." + name;
  r.CheckKeys(node, what, DeviceKeys());
  if (!node.IsMap()) return;
  for (const std::string& feature : FeatureNames()) {
    if (node[feature])
      *d.features.Field(feature) = r.Bool(node[feature], what + "." + feature).value_or(false);
  }
  CheckBuildable(r, node, name, d.features);
  wasm::AddImpliedFeatures(d.features);
  if (node["cores"]) d.cores = static_cast<int>(r.Int(node["cores"], what + ".cores", 1, 256).value_or(1));
  if (node["memory"]) ReadMemory(r, node["memory"], what + ".memory", d);
  if (node["engine"])
    d.engine = r.Choice(node["engine"], what + ".engine", {"interp", "aot"}).value_or("interp");
  if (node["host_abi"]) {
    std::optional<int64_t> abi = r.Int(node["host_abi"], what + ".host_abi", 0, 1000);
    if (abi && *abi != kSupportedHostAbi) {
      r.Error(node["host_abi"], "unknown host_abi " + std::to_string(*abi) + " for device '" + name + "'",
              {"this wasmship supports host ABI version " + std::to_string(kSupportedHostAbi)});
    }
    d.host_abi = static_cast<int>(abi.value_or(kSupportedHostAbi));
  }
  matrix.devices.push_back(std::move(d));
}

}  // namespace

const std::vector<std::string>& FeatureNames() { return wasm::WasmFeatureNames(); }

const Device* DeviceMatrix::Find(const std::string& name) const {
  for (const Device& d : devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::vector<std::string> DeviceMatrix::Names() const {
  std::vector<std::string> names;
  for (const Device& d : devices) names.push_back(d.name);
  return names;
}

namespace {

std::optional<DeviceMatrix> MatrixOf(const YamlFile* file, DiagnosticSink& sink) {
  const std::string& path = file->path();
  YamlReader r(*file, sink);
  size_t errors = sink.ErrorCount();
  DeviceMatrix matrix;
  matrix.path = path;
  r.CheckKeys(file->root(), "devices.yaml", {"devices"});
  if (!file->root().IsMap()) return std::nullopt;
  const YAML::Node& devices = file->root()["devices"];
  if (!devices || !r.IsMapping(devices, "devices")) {
    if (!devices)
      sink.Error({path, 0, 0, 1}, "missing key 'devices'", {"list devices as `devices: { tv: {...} }`"});
    return std::nullopt;
  }
  // A set, not matrix.Find: a matrix of 10,000 devices reads in linear time.
  std::unordered_set<std::string> seen;
  for (const auto& entry : devices) {
    std::string name = entry.first.Scalar();
    if (!ValidDeviceName(name)) {
      r.Error(entry.first, "device name '" + name + "' may only use letters, digits, '-', '_' and '.'",
              {"device names appear in reports, release indexes and on command lines"});
    } else if (!seen.insert(name).second) {
      r.Error(entry.first, "device '" + name + "' is listed twice", {"give each device one entry"});
    }
    ReadDevice(r, name, entry.first, entry.second, matrix);
  }
  if (matrix.devices.empty()) sink.Error(file->SpanOf(devices), "devices.yaml lists no devices");
  if (sink.ErrorCount() > errors) return std::nullopt;
  return matrix;
}

}  // namespace

std::optional<DeviceMatrix> LoadDeviceMatrix(const std::string& path, DiagnosticSink& sink) {
  // Larger than other configuration files: a matrix may list 10,000 devices.
  constexpr ReadLimit kMatrixFile{"device matrix", 16ull << 20};
  Result<std::string> text = ReadFile(path, kMatrixFile);
  if (!text) {
    sink.Error({path, 0, 0, 1}, text.error().message);
    return std::nullopt;
  }
  return ParseDeviceMatrix(path, *text, sink);
}

std::optional<DeviceMatrix> ParseDeviceMatrix(const std::string& path, const std::string& text, DiagnosticSink& sink) {
  if (std::optional<DeviceMatrix> fast = ParseFlowDeviceMatrix(path, text)) return fast;
  return ParseDeviceMatrixWithYamlCpp(path, text, sink);
}

std::optional<DeviceMatrix> ParseDeviceMatrixWithYamlCpp(const std::string& path, const std::string& text,
                                                         DiagnosticSink& sink) {
  std::optional<YamlFile> file = YamlFile::Parse(path, text, sink);
  return file ? MatrixOf(&*file, sink) : std::nullopt;
}

const Device* FindDevice(const DeviceMatrix& matrix, const std::string& name, DiagnosticSink& sink) {
  if (const Device* d = matrix.Find(name)) return d;
  sink.Error({}, "unknown device '" + name + "'" + DidYouMean(name, matrix.Names()),
             {"devices in " + matrix.path + ": " + JoinNames(matrix.Names())});
  return nullptr;
}

}  // namespace ws
