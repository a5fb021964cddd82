// A fast reader for the shape nearly every devices.yaml has, one flow
// mapping per device:
//
//   devices:
//     tv-2019: { simd: false, cores: 4, memory: 128MiB, engine: interp, host_abi: 1 }
//
// yaml-cpp takes about 0.1 ms a line (a 10,000-device matrix: 1.1 s); this
// takes microseconds. It accepts only files it understands completely and
// that are valid: anything else (block mappings, quotes, anchors, an unknown
// key, a bad value, a duplicate) returns nullopt, and the full reader
// parses the file and reports its problems with line:column.
#include "feature-matrix/device_matrix_fast.h"

#include <cctype>
#include <string_view>
#include <unordered_set>

#include "config-yaml/yaml_file.h"
#include "host-abi/host_abi.h"

namespace ws {
namespace {

constexpr uint64_t kMinMemory = 1ull << 20;  // as device_matrix.cc
constexpr uint64_t kMaxMemory = 4ull << 30;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Letters, digits, '-', '_', '.': a plain scalar with no YAML meaning.
bool Plain(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// The line without a trailing " # comment" (plain scalars hold no '#').
std::string_view WithoutComment(std::string_view line) {
  size_t hash = line.find('#');
  if (hash == std::string_view::npos) return line;
  if (hash > 0 && line[hash - 1] != ' ' && line[hash - 1] != '\t') return {};  // "a#b": not ours
  return line.substr(0, hash);
}

std::optional<int64_t> Whole(std::string_view s, int64_t min, int64_t max) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return std::nullopt;
  return v;
}

bool SetValue(Device& d, std::string_view key, std::string_view value, std::unordered_set<std::string_view>& seen,
              std::unordered_set<std::string_view>& features_given) {
  if (!seen.insert(key).second) return false;
  if (bool* field = d.features.Field(key)) {
    if (value != "true" && value != "false") return false;
    *field = value == "true";
    features_given.insert(key);
    return true;
  }
  if (key == "cores") {
    std::optional<int64_t> cores = Whole(value, 1, 256);
    if (cores) d.cores = static_cast<int>(*cores);
    return cores.has_value();
  }
  if (key == "memory") {
    std::optional<uint64_t> bytes = ParseSize(value);
    if (!bytes || *bytes < kMinMemory || *bytes > kMaxMemory) return false;
    d.memory = *bytes;
    return true;
  }
  if (key == "engine") {
    d.engine = std::string(value);
    return value == "interp" || value == "aot";
  }
  if (key == "host_abi") {
    d.host_abi = host_abi::kVersion;
    return Whole(value, 0, 1000) == host_abi::kVersion;
  }
  return false;
}

// device_matrix.cc's CheckBuildable, as a yes/no.
bool Buildable(const FeatureSet& declared, const std::unordered_set<std::string_view>& given) {
  for (const wasm::WasmFeatureRequirement& rule : wasm::kWasmFeatureRequirements) {
    if (given.contains(wasm::Info(rule.feature).name) && !declared.Has(rule.feature)) return false;
  }
  for (const wasm::WasmFeatureImplication& rule : wasm::kWasmFeatureImplications) {
    if (declared.Has(rule.feature) && given.contains(wasm::Info(rule.implied).name) && !declared.Has(rule.implied)) {
      return false;
    }
  }
  return true;
}

// "  name: { k: v, ... }" at `indent`; `line` is 1-based.
std::optional<Device> ReadLine(const std::string& path, std::string_view text, size_t indent, uint32_t line) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view name = text.substr(indent, colon - indent);
  std::string_view body = Trim(text.substr(colon + 1));
  if (!Plain(name) || body.size() < 2 || body.front() != '{' || body.back() != '}') return std::nullopt;
  Device d;
  d.name = std::string(name);
  d.span = {path, line, static_cast<uint32_t>(indent + 1), static_cast<uint32_t>(name.size())};
  std::unordered_set<std::string_view> seen, given;
  body = body.substr(1, body.size() - 2);
  while (!Trim(body).empty()) {
    size_t comma = body.find(',');
    std::string_view pair = body.substr(0, comma);
    size_t sep = pair.find(':');
    if (sep == std::string_view::npos) return std::nullopt;
    std::string_view key = Trim(pair.substr(0, sep)), value = Trim(pair.substr(sep + 1));
    if (!Plain(key) || !Plain(value) || !SetValue(d, key, value, seen, given)) return std::nullopt;
    body = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 1);
    if (comma != std::string_view::npos && Trim(body).empty()) return std::nullopt;  // "{ a: 1, }"
  }
  if (!Buildable(d.features, given)) return std::nullopt;
  wasm::AddImpliedFeatures(d.features);
  return d;
}

}  // namespace

std::optional<DeviceMatrix> ParseFlowDeviceMatrix(const std::string& path, const std::string& text) {
  DeviceMatrix matrix;
  matrix.path = path;
  std::unordered_set<std::string> names;
  bool in_devices = false;
  size_t indent = 0;
  uint32_t number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++number;
    if (line.find('\t') != std::string_view::npos) return std::nullopt;
    std::string_view content = WithoutComment(line);
    if (content.data() == nullptr && !line.empty()) return std::nullopt;
    content = Trim(content);
    if (content.empty()) continue;
    size_t here = line.find_first_not_of(' ');
    if (!in_devices) {
      if (here != 0 || content != "devices:") return std::nullopt;
      in_devices = true;
      continue;
    }
    if (indent == 0) indent = here;
    if (here != indent || indent == 0) return std::nullopt;
    std::optional<Device> device = ReadLine(path, std::string_view(line.data(), here + content.size()), indent, number);
    if (!device || !names.insert(device->name).second) return std::nullopt;
    matrix.devices.push_back(std::move(*device));
  }
  if (matrix.devices.empty()) return std::nullopt;
  return matrix;
}

}  // namespace ws
