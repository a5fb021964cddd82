// wasmship size FILE [--diff OTHER]: where the bytes of any .wasm or .wsb
// go (ours or not), bloaty/twiggy style: sections, components, functions.
#include <filesystem>
#include <iostream>
#include <map>
#include <variant>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/output_format.h"
#include "ota-bundle/bundle_file.h"
#include "ota-bundle/ota_bundle.h"
#include "platform/atomic_file.h"
#include "size-reports/size_reports.h"
#include "wasm-binary/symbol_map.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

struct SizeFlags {
  std::string file;
  std::string diff;
  std::string symbols;
  size_t top = 30;
  OutputFormat format = OutputFormat::kText;
};

struct Analyzed {
  size::ModuleSizes sizes;
  std::string label;
};

// Why a file cannot be analyzed, with the exit code: a bundle that does not
// read is refused as `bundle verify` refuses it (5); anything else is 2.
struct Problem {
  int exit_code;
  std::string message;
};

// dist/symbols/<variant>.map.json: each function's name (a stripped release
// module has none of its own) and the component the build attributed it to.
struct SymbolMap {
  size::FunctionNames names;
  std::map<std::string, std::string> components;  // function name → component
};

// An unreadable map only costs names and components.
SymbolMap ReadSymbolMap(const std::string& path) {
  SymbolMap map;
  Result<wasm::SymbolMap> read = wasm::ReadSymbolMap(path);
  if (!read) return map;
  for (const auto& [index, entry] : *read) {
    map.names[index] = entry.name;
    if (entry.component) map.components[entry.name] = *entry.component;
  }
  return map;
}

// A map from another build of the module names its functions differently.
bool SameFunctions(const size::FunctionNames& module, const size::FunctionNames& map) {
  if (map.empty()) return false;
  for (const auto& [index, name] : module) {
    auto it = map.find(index);
    if (it != map.end() && it->second != name) return false;
  }
  return true;
}

bool IsBundle(const std::string& path, const std::string& bytes) {
  return bytes.rfind("WSB1", 0) == 0 || fs::path(path).extension() == ".wsb";
}

// A bundle's module, and the symbol map a build put beside it.
Result<std::vector<uint8_t>> ModuleOf(const std::string& path, const std::string& bytes, std::string& symbols) {
  if (!IsBundle(path, bytes)) {
    if (symbols.empty()) symbols = wasm::SymbolMapBesideModule(path);
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  }
  auto data = std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  Result<bundle::Bundle> read = bundle::ReadBundle(data, {});
  if (!read) return Error{read.error().message};
  if (symbols.empty()) {
    fs::path guess = wasm::SymbolMapBesideBundle(path, read->manifest.variant);
    if (fs::exists(guess)) symbols = guess.string();
  }
  return std::move(read->wasm);
}

// Components as the build attributed them (its link map, through the
// symbol map), else by name.
std::variant<Analyzed, Problem> Analyze(const std::string& path, std::string symbols) {
  Result<std::string> bytes = ReadFile(path, bundle::kBundleFile);
  if (!bytes) return Problem{kExitUsage, bytes.error().message};
  Result<std::vector<uint8_t>> module = ModuleOf(path, *bytes, symbols);
  if (!module) {
    return Problem{IsBundle(path, *bytes) ? kExitBundleInvalid : kExitUsage, path + ": " + module.error().message};
  }
  size::FunctionNames names = size::NamesFromModule(*module);
  SymbolMap map = symbols.empty() ? SymbolMap{} : ReadSymbolMap(symbols);
  if (names.empty()) names = map.names;
  bool map_fits = SameFunctions(names, map.names);
  size::ComponentMap components = map_fits && !map.components.empty()
                                      ? size::ComponentMap::FromComponents(std::move(map.components))
                                      : size::ComponentMap::ByName();
  Result<size::ModuleSizes> sizes = size::AnalyzeModule(*module, names, &components);
  if (!sizes) return Problem{kExitUsage, path + ": " + sizes.error().message};
  return Analyzed{std::move(*sizes), fs::path(path).filename().string()};
}

int RunSize(const SizeFlags& flags, const GlobalOptions& global) {
  auto fail = [&](const Problem& problem) { return Fail(global, problem.exit_code, problem.message, {}, flags.format); };
  std::variant<Analyzed, Problem> analyzed_head = Analyze(flags.file, flags.symbols);
  if (const Problem* problem = std::get_if<Problem>(&analyzed_head)) return fail(*problem);
  const Analyzed* head = &std::get<Analyzed>(analyzed_head);
  if (flags.diff.empty()) {
    std::cout << size::RenderSizes(head->sizes, head->label, flags.format, flags.top);
    return kExitOk;
  }
  std::variant<Analyzed, Problem> analyzed_base = Analyze(flags.diff, "");
  if (const Problem* problem = std::get_if<Problem>(&analyzed_base)) return fail(*problem);
  const Analyzed* base = &std::get<Analyzed>(analyzed_base);
  // Like `bloaty NEW -- OLD`: the rows are FILE minus OTHER.
  std::cout << size::RenderSizeDiff(base->sizes, head->sizes, base->label, head->label, flags.format,
                                    flags.top);
  return kExitOk;
}

}  // namespace

Command AddSizeCommand(CLI::App& parent, const GlobalOptions& global) {
  auto flags = std::make_shared<SizeFlags>();
  CLI::App* app = parent.add_subcommand("size", "Where the bytes of a .wasm or .wsb go");
  app->add_option("file", flags->file, "A .wasm module or .wsb bundle")->required();
  app->add_option("--diff", flags->diff, "Show FILE minus OTHER")->option_text("OTHER");
  app->add_option("--top", flags->top, "Functions to list (default 30)")->option_text("N");
  app->add_option("--symbols", flags->symbols, "A symbol map naming a stripped module's functions")
      ->option_text("MAP.json");
  AddFormatOption(*app, flags->format,
                  {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kMarkdown, OutputFormat::kHtml},
                  "text, json, md or html");
  return {app, [flags, &global] { return RunSize(*flags, global); }};
}

}  // namespace ws
