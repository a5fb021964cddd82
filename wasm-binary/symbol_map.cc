#include "wasm-binary/symbol_map.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "platform/atomic_file.h"
#include "wasm-binary/module_reader.h"

namespace ws::wasm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view kSuffix = ".map.json";

std::optional<uint32_t> ParseIndex(std::string_view text) {
  uint32_t index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return index;
}

// "path:line:column: ..." for nlohmann's byte offset of a syntax error.
std::string Located(std::string_view text, const std::string& path, size_t byte) {
  size_t at = std::min(byte == 0 ? 0 : byte - 1, text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
  size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  size_t column = line_start == std::string_view::npos || at == 0 ? at + 1 : at - line_start;
  return path + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Result<SymbolEntry> ParseEntry(const json& entry) {
  if (entry.is_string()) return SymbolEntry{entry.get<std::string>(), std::nullopt};
  if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
    return Error{"an entry is neither a name nor {\"name\": ...}"};
  }
  SymbolEntry parsed{entry["name"].get<std::string>(), std::nullopt};
  for (auto [key, field] : {std::pair{"component", &SymbolEntry::component}, std::pair{"part", &SymbolEntry::part},
                            std::pair{"composable", &SymbolEntry::composable}}) {
    if (!entry.contains(key)) continue;
    if (!entry[key].is_string()) return Error{std::string("a ") + key + " is not a string"};
    parsed.*field = entry[key].get<std::string>();
  }
  return parsed;
}

}  // namespace

fs::path SymbolMapPath(const fs::path& out_dir, std::string_view variant) {
  return out_dir / "symbols" / (std::string(variant) + std::string(kSuffix));
}

fs::path SymbolMapBesideBundle(const fs::path& bundle, std::string_view variant) {
  return SymbolMapPath(bundle.parent_path().parent_path(), variant);
}

std::string SymbolMapBesideModule(const fs::path& module) {
  fs::path dir = SymbolMapPath(module.parent_path(), "").parent_path();
  std::string file = module.filename().string(), best;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string map = it->path().filename().string();
    if (!map.ends_with(kSuffix)) continue;
    std::string suffix = "-" + map.substr(0, map.size() - kSuffix.size()) + ".wasm";
    if (file.ends_with(suffix) && map.size() > best.size()) best = map;
  }
  return best.empty() ? std::string() : (dir / best).string();
}

Result<ModuleIdentity> IdentifyModule(std::span<const uint8_t> wasm) {
  Result<Module> module = ReadModule(wasm);
  if (!module) return Error{module.error().message};
  ModuleIdentity id;
  id.functions = static_cast<uint32_t>(module->bodies.size());
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const Section& s : module->sections) {
    if (s.id != SectionId::kCode) continue;
    for (uint32_t i = 0; i < s.payload_size; ++i) hash = (hash ^ wasm[s.payload_offset + i]) * 0x100000001b3ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  id.code_hash = hex;
  return id;
}

std::string SymbolMapJson(const SymbolMap& map, const std::optional<ModuleIdentity>& module) {
  ordered_json functions = ordered_json::object();
  for (const auto& [index, entry] : map) {
    ordered_json item = {{"name", entry.name}};
    if (entry.component) item["component"] = *entry.component;
    if (entry.part) item["part"] = *entry.part;
    if (entry.composable) item["composable"] = *entry.composable;
    functions[std::to_string(index)] = std::move(item);
  }
  ordered_json out = ordered_json::object();
  if (module) out["module"] = {{"functions", module->functions}, {"code_hash", module->code_hash}};
  out["functions"] = std::move(functions);
  return out.dump(1) + "\n";
}

Status WriteSymbolMap(const std::string& path, const SymbolMap& map, const std::optional<ModuleIdentity>& module) {
  return WriteFileAtomically(path, SymbolMapJson(map, module));
}

Result<SymbolMap> ParseSymbolMap(std::string_view text, const std::string& path) {
  Result<SymbolMapFile> file = ParseSymbolMapFile(text, path);
  if (!file) return Error{file.error().message};
  return std::move(file->functions);
}

Result<SymbolMapFile> ParseSymbolMapFile(std::string_view text, const std::string& path) {
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::parse_error& e) {
    return Error{Located(text, path, e.byte) + ": the symbol map is not valid JSON; build again to rewrite it"};
  }
  if (!parsed.is_object() || !parsed.contains("functions") || !parsed["functions"].is_object()) {
    return Error{path + ": the symbol map has no \"functions\" object; build again to rewrite it"};
  }
  SymbolMapFile file;
  if (parsed.contains("module")) {
    const json& m = parsed["module"];
    if (!m.is_object() || !m.contains("functions") || !m["functions"].is_number_unsigned() ||
        !m.contains("code_hash") || !m["code_hash"].is_string()) {
      return Error{path + ": the symbol map's \"module\" is not {\"functions\": N, \"code_hash\": \"...\"}; "
                   "build again to rewrite it"};
    }
    file.module = ModuleIdentity{m["functions"].get<uint32_t>(), m["code_hash"].get<std::string>()};
  }
  for (const auto& [key, value] : parsed["functions"].items()) {
    std::optional<uint32_t> index = ParseIndex(key);
    if (!index) return Error{path + ": \"" + key + "\" is not a function index; build again to rewrite it"};
    Result<SymbolEntry> entry = ParseEntry(value);
    if (!entry) return Error{path + ": function " + key + ": " + entry.error().message};
    file.functions[*index] = std::move(*entry);
  }
  return file;
}

Result<SymbolMap> ReadSymbolMap(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return Error{text.error().message};
  return ParseSymbolMap(*text, path);
}

Result<SymbolMapFile> ReadSymbolMapFile(const std::string& path) {
  Result<std::string> text = ReadFile(path, kReportFile);
  if (!text) return Error{text.error().message};
  return ParseSymbolMapFile(*text, path);
}

std::map<uint32_t, std::string> SymbolNames(const SymbolMap& map) {
  std::map<uint32_t, std::string> names;
  for (const auto& [index, entry] : map) names.emplace(index, entry.name);
  return names;
}

}  // namespace ws::wasm
