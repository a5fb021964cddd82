// The symbol map: each function index of a module → its demangled name and,
// once the bundle step has attributed it, its component. The optimizer
// writes one (names, taken before stripping) into the build directory; the
// bundle step adds components and ships it to <out>/symbols/<variant>.map.json,
// where `wasmship run` (trap stacks) and `wasmship size` (names and
// components of a stripped module) read it. This file owns its format
// and where it sits beside a build's module and bundles:
//
//   {"module": {"functions": N, "code_hash": "..."},
//    "functions": {"<index>": {"name": "...", "component": "...",
//                              "part": "...", "composable": "..."}, ...}}
//
// (an entry may also be a bare name string, as older builds wrote them;
// "module", "part" and "composable" are absent from older maps). "module"
// identifies the module the map describes, so that a reader can refuse a
// map of another build instead of misnaming every function.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "diagnostics/result.h"

namespace ws::wasm {

struct SymbolEntry {
  SymbolEntry() = default;
  SymbolEntry(std::string name_in, std::optional<std::string> component_in = std::nullopt)  // NOLINT: implicit
      : name(std::move(name_in)), component(std::move(component_in)) {}

  std::string name;
  std::optional<std::string> component;  // absent until the bundle step attributes it
  std::optional<std::string> part;        // the app source file or runtime system
  std::optional<std::string> composable;  // the app's UI_COMPOSABLE holding it

  bool operator==(const SymbolEntry&) const = default;
};

using SymbolMap = std::map<uint32_t, SymbolEntry>;

// Which module a map describes: its defined functions and a hash of its
// code section's contents (FNV-1a 64, hex), which stripping names or other
// custom sections does not change.
struct ModuleIdentity {
  uint32_t functions = 0;
  std::string code_hash;
  bool operator==(const ModuleIdentity&) const = default;
};
// The identity of a module; an error when it does not read.
Result<ModuleIdentity> IdentifyModule(std::span<const uint8_t> wasm);

struct SymbolMapFile {
  std::optional<ModuleIdentity> module;  // absent in maps of older builds
  SymbolMap functions;
};

// <out_dir>/symbols/<variant>.map.json
std::filesystem::path SymbolMapPath(const std::filesystem::path& out_dir, std::string_view variant);

// The map a build wrote for a bundle in <out_dir>/bundles/: as SymbolMapPath
// for the bundle's variant.
std::filesystem::path SymbolMapBesideBundle(const std::filesystem::path& bundle, std::string_view variant);

// The map a build wrote for its module <out_dir>/<app>-<variant>.wasm: the
// map of the longest variant name the module's name ends with; "" when
// there is none.
std::string SymbolMapBesideModule(const std::filesystem::path& module);

// The file's text (indented JSON, one trailing newline).
std::string SymbolMapJson(const SymbolMap& map, const std::optional<ModuleIdentity>& module = std::nullopt);

// Written atomically: a reader never sees half a map.
Status WriteSymbolMap(const std::string& path, const SymbolMap& map,
                      const std::optional<ModuleIdentity>& module = std::nullopt);

// An error names `path` (and the line and column of a syntax error).
Result<SymbolMap> ParseSymbolMap(std::string_view text, const std::string& path);
Result<SymbolMap> ReadSymbolMap(const std::string& path);
Result<SymbolMapFile> ParseSymbolMapFile(std::string_view text, const std::string& path);
Result<SymbolMapFile> ReadSymbolMapFile(const std::string& path);

// Index → name only.
std::map<uint32_t, std::string> SymbolNames(const SymbolMap& map);

}  // namespace ws::wasm
