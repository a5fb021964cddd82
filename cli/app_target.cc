#include "cli/app_target.h"

#include <cstdlib>

#include "wasm-binary/symbol_map.h"

namespace ws {

bool ParseSize(const std::string& text, int& width, int& height) {
  size_t x = text.find('x');
  if (x == std::string::npos) return false;
  try {
    width = std::stoi(text.substr(0, x));
    height = std::stoi(text.substr(x + 1));
  } catch (...) {
    return false;
  }
  return width > 0 && height > 0 && width <= 8192 && height <= 8192;
}

std::optional<Device> ChooseDevice(const Manifest& manifest, const std::string& wanted, DiagnosticSink& sink,
                                   bool& failed) {
  if (manifest.devices_file.empty()) {
    if (!wanted.empty()) {
      sink.Error({manifest.path, 0, 0, 1},
                 "--device " + wanted + " given, but wasmship.yaml names no devices file",
                 {"add `devices: devices.yaml`"});
      failed = true;
    }
    return std::nullopt;
  }
  std::optional<DeviceMatrix> matrix = LoadDeviceMatrix(manifest.devices_file, sink);
  if (!matrix) {
    failed = true;
    return std::nullopt;
  }
  const Device* device = wanted.empty() ? &matrix->devices.front() : FindDevice(*matrix, wanted, sink);
  if (device == nullptr) {
    failed = true;
    return std::nullopt;
  }
  return *device;
}

std::string CacheDirFor(const Manifest& manifest) {
  Result<CacheSettings> settings = ResolveCacheSettings(manifest.cache);
  // Only a bad WASMSHIP_REMOTE_CACHE_READ_ONLY fails, which the directory does not need.
  if (settings) return settings->dir;
  const char* env = std::getenv("WASMSHIP_CACHE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return manifest.cache.dir.value_or(UserCacheDir());
}

std::string EngineFor(const std::string& flag, const std::optional<Device>& device) {
  if (!flag.empty()) return flag;
  return device ? device->engine : "interp";
}

std::map<uint32_t, std::string> ReadSymbolMap(const std::string& path) {
  Result<wasm::SymbolMap> map =
      path.empty() ? Result<wasm::SymbolMap>(Error{"no symbol map"}) : wasm::ReadSymbolMap(path);
  return map ? wasm::SymbolNames(*map) : std::map<uint32_t, std::string>{};
}

}  // namespace ws
