// CheckSymbolMap: a symbol map is trusted only for the module it describes.
#include "size-reports/size_reports.h"

namespace ws::size {

// A map of another build would misname every function: refused (exit 2)
// rather than trusted. Maps of older builds carry no identity; then their
// names must agree with the module's own, where it has any.
Status CheckSymbolMap(const wasm::SymbolMapFile& map, std::span<const uint8_t> module, const FunctionNames& own_names,
                      const std::string& map_path, const std::string& file) {
  std::string refuse = map_path + " is the symbol map of another build, not of " + file + ": ";
  std::string fix = "; build again so that module and map are of one build, or pass the right map with --symbols";
  Result<wasm::ModuleIdentity> id = wasm::IdentifyModule(module);
  if (!id) return {};  // AnalyzeModule reports an unreadable module
  if (map.module) {
    if (map.module->functions != id->functions) {
      return Error{refuse + "it describes " + std::to_string(map.module->functions) + " functions, the module has " +
             std::to_string(id->functions) + fix};
    }
    if (map.module->code_hash != id->code_hash) {
      return Error{refuse + "the module's code differs (code hash " + id->code_hash + ", the map's " +
             map.module->code_hash + ")" + fix};
    }
    return {};
  }
  for (const auto& [index, entry] : map.functions) {
    auto own = own_names.find(index);
    if (own != own_names.end() && own->second != entry.name) {
      return Error{refuse + "function " + std::to_string(index) + " is \"" + own->second + "\" in the module, \"" +
             entry.name + "\" in the map" + fix};
    }
  }
  return {};
}

}  // namespace ws::size
