// What `run` and `dev` both work out before an app can run: the screen
// size, the device from devices.yaml, where aot keeps compiled modules, the
// engine, and the build's symbol map. One copy, so the two commands agree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "compiler-driver/manifest.h"
#include "diagnostics/diagnostic.h"
#include "feature-matrix/device_matrix.h"

namespace ws {

// "1280x720" → width and height (each 1..8192); false for anything else.
bool ParseSize(const std::string& text, int& width, int& height);

// The device called `wanted` (empty: the first in devices.yaml), nullopt
// when the project names no devices file. Sets `failed` (with diagnostics
// in `sink`) for an unknown device or a bad devices.yaml.
std::optional<Device> ChooseDevice(const Manifest& manifest, const std::string& wanted, DiagnosticSink& sink,
                                   bool& failed);

// The action cache's directory (docs/cache.md): WASMSHIP_CACHE_DIR, else
// the manifest's cache.dir, else the user's cache directory.
std::string CacheDirFor(const Manifest& manifest);

// --engine when given, else the device's, else interp.
std::string EngineFor(const std::string& flag, const std::optional<Device>& device);

// Function index → name from a build's symbol map. A missing or unreadable
// map only costs names in trap stacks, so it is not an error.
std::map<uint32_t, std::string> ReadSymbolMap(const std::string& path);

}  // namespace ws
