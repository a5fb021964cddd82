// wasmship size FILE [--diff OTHER | --dominators | --why NAME | --garbage]:
// where the bytes of any .wasm or .wsb go (ours or not), bloaty/twiggy
// style: sections, components with their files, systems and composables,
// functions; and why a function is there (the call graph's dominators and
// paths, and what nothing reaches).
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <span>
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
  std::string why;
  bool dominators = false;
  bool garbage = false;
  size_t depth = 4;
  size_t top = 30;
  OutputFormat format = OutputFormat::kText;
};

struct Analyzed {
  size::ModuleSizes sizes;
  std::string label;
  std::vector<uint8_t> module;
  std::string note;  // why functions have no names, and how to get them
};

// Why a file cannot be analyzed, with the exit code: a bundle that does not
// read is refused as `bundle verify` refuses it (5); anything else is 2.
struct Problem {
  int exit_code;
  std::string message;
};

// dist/symbols/<variant>.map.json: each function's name (a stripped release
// module has none of its own) and where the build attributed it.
struct SymbolMap {
  size::FunctionNames names;
  std::map<std::string, size::Attribution> attribution;  // function name → component, part, composable
};

SymbolMap FromFile(const wasm::SymbolMapFile& file) {
  SymbolMap map;
  for (const auto& [index, entry] : file.functions) {
    map.names[index] = entry.name;
    if (entry.component) {
      map.attribution[entry.name] = {*entry.component, entry.part.value_or(""), entry.composable.value_or("")};
    }
  }
  return map;
}

bool IsBundle(const std::string& path, const std::string& bytes) {
  return bytes.rfind("WSB1", 0) == 0 || fs::path(path).extension() == ".wsb";
}

// dist/<profile>/x.wasm: the build's symbols are in dist/symbols/.
std::string MapBesideModule(const std::string& path) {
  std::string found = wasm::SymbolMapBesideModule(path);
  if (!found.empty()) return found;
  fs::path parent = fs::path(path).parent_path();
  if (parent.has_parent_path()) return wasm::SymbolMapBesideModule(parent.parent_path() / fs::path(path).filename());
  return {};
}

// A bundle's module, and the symbol map a build put beside it.
Result<std::vector<uint8_t>> ModuleOf(const std::string& path, const std::string& bytes, std::string& symbols) {
  if (!IsBundle(path, bytes)) {
    if (symbols.empty()) symbols = MapBesideModule(path);
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
  SymbolMap map;
  if (!symbols.empty()) {
    Result<wasm::SymbolMapFile> file = wasm::ReadSymbolMapFile(symbols);
    if (!file) return Problem{kExitUsage, file.error().message};
    if (Status fits = size::CheckSymbolMap(*file, *module, names, symbols, path); !fits) {
      return Problem{kExitUsage, fits.error().message};
    }
    map = FromFile(*file);
  }
  if (names.empty()) names = map.names;
  size::ComponentMap components = map.attribution.empty()
                                      ? size::ComponentMap::ByName()
                                      : size::ComponentMap::FromAttributions(std::move(map.attribution));
  Result<size::ModuleSizes> sizes = size::AnalyzeModule(*module, names, &components);
  if (!sizes) return Problem{kExitUsage, path + ": " + sizes.error().message};
  std::string note;
  if (names.empty() && !sizes->functions.empty()) {
    note = path + " has no function names (stripped) and no symbol map was found beside it; functions show as "
           "func[N] and go to components by nothing. Build with `wasmship build` (it writes "
           "dist/symbols/<variant>.map.json, found by itself) or pass --symbols MAP.json";
  }
  return Analyzed{std::move(*sizes), fs::path(path).filename().string(), std::move(*module), std::move(note)};
}

int RunSize(const SizeFlags& flags, const GlobalOptions& global) {
  auto fail = [&](const Problem& problem) { return Fail(global, problem.exit_code, problem.message, {}, flags.format); };
  std::variant<Analyzed, Problem> analyzed_head = Analyze(flags.file, flags.symbols);
  if (const Problem* problem = std::get_if<Problem>(&analyzed_head)) return fail(*problem);
  const Analyzed* head = &std::get<Analyzed>(analyzed_head);
  if (!head->note.empty()) std::cerr << "note: " << head->note << "\n";
  size::Format format = flags.format;
  if (flags.dominators || flags.garbage || !flags.why.empty()) {
    Result<size::CallGraph> graph = size::ReadCallGraph(head->module);
    if (!graph) return fail({kExitUsage, flags.file + ": " + graph.error().message});
    if (flags.dominators) {
      std::cout << size::RenderDominators(head->sizes, *graph, head->label, format, flags.top, flags.depth);
    } else if (flags.garbage) {
      std::cout << size::RenderGarbage(head->sizes, *graph, head->label, format, flags.top);
    } else {
      Result<std::string> why = size::RenderWhy(head->sizes, *graph, flags.why, head->label, format, flags.top);
      if (!why) return fail({kExitUsage, why.error().message});
      std::cout << *why;
    }
    return kExitOk;
  }
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
  CLI::Option* diff = app->add_option("--diff", flags->diff, "Show FILE minus OTHER (functions, components, files, systems, composables)")->option_text("OTHER");
  app->add_option("--top", flags->top, "Functions (or tree rows, or matches) to list; 0: all (default 30)")
      ->option_text("N");
  CLI::Option* dominators =
      app->add_flag("--dominators", flags->dominators, "The dominator tree with retained sizes (twiggy dominators)");
  CLI::Option* why =
      app->add_option("--why", flags->why, "Call paths from the exports to functions named NAME (or containing it)")
          ->option_text("NAME");
  CLI::Option* garbage =
      app->add_flag("--garbage", flags->garbage, "Code no export, start function or table entry reaches");
  app->add_option("--depth", flags->depth, "Levels of the dominator tree; 0: all (default 4)")->option_text("N");
  for (CLI::Option* a : {diff, dominators, why, garbage}) {
    for (CLI::Option* b : {diff, dominators, why, garbage}) {
      if (a != b) a->excludes(b);
    }
  }
  app->add_option("--symbols", flags->symbols, "A symbol map naming a stripped module's functions")
      ->option_text("MAP.json");
  AddFormatOption(*app, flags->format,
                  {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kMarkdown, OutputFormat::kHtml},
                  "text, json, md or html");
  return {app, [flags, &global] { return RunSize(*flags, global); }};
}

}  // namespace ws
