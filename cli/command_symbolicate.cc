// wasmship symbolicate REPORT [--symbols DIR]: names every frame of a
// device's crash report (`device report`) from the release's symbol maps,
// the way crash reporters symbolicate by build id: a map is used only when
// the module it describes (function count and code hash, which stripping
// does not change) is the one that crashed.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "platform/atomic_file.h"
#include "update-repo/canonical_json.h"
#include "wasm-binary/symbol_map.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

std::string BuildIdOf(const wasm::ModuleIdentity& id) { return std::to_string(id.functions) + ":" + id.code_hash; }

int Symbolicate(const std::string& report_path, const std::string& symbols_dir, const GlobalOptions& global) {
  Result<std::string> text = ReadFile(report_path, kReportFile);
  if (!text) return Fail(global, kExitUsage, text.error().message);
  tuf::Json report = tuf::Json::parse(*text, nullptr, false);
  if (report.is_discarded() || !report.is_object() || !report.contains("trap") || !report["trap"].contains("stack"))
    return Fail(global, kExitUsage, report_path + ": not a crash report (`wasmship device report --format json` writes them)");
  std::string build_id = report.value("build_id", "");
  std::string variant = report.value("variant", "");
  std::optional<wasm::SymbolMapFile> chosen;
  std::string mismatch;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(symbols_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() < 9 || name.substr(name.size() - 9) != ".map.json") continue;
    Result<wasm::SymbolMapFile> map = wasm::ReadSymbolMapFile(entry.path().string());
    if (!map || !map->module) continue;
    if (BuildIdOf(*map->module) == build_id) {
      chosen = std::move(*map);
      break;
    }
    if (name == variant + ".map.json")
      mismatch = entry.path().string() + " describes build " + BuildIdOf(*map->module) + ", the report's module is build " + build_id;
  }
  if (ec) return Fail(global, kExitUsage, "cannot read the symbol maps in " + symbols_dir + ": " + ec.message());
  if (!chosen)
    return Fail(global, kExitUsage,
                mismatch.empty() ? "no symbol map in " + symbols_dir + " is of build " + build_id
                                 : "refusing a symbol map of another build: " + mismatch,
                {"give --symbols the dist/symbols of the release that crashed (" + report.value("app", "") + " " +
                 report.value("version", "") + ")"});
  const tuf::Json& trap = report["trap"];
  std::cout << report.value("app", "") << " " << report.value("version", "") << " (" << variant << ", build " << build_id
            << "): " << trap.value("kind", "") << " in " << trap.value("during", "") << " at frame "
            << trap.value("frame", 0) << "\n";
  int i = 0;
  for (const tuf::Json& index : trap["stack"]) {
    int64_t n = index.is_number_integer() ? index.get<int64_t>() : -1;
    auto it = n >= 0 ? chosen->functions.find(static_cast<uint32_t>(n)) : chosen->functions.end();
    std::cout << "    #" << i++ << " func[" << n << "] "
              << (it == chosen->functions.end() ? std::string("(not in the map)") : it->second.name);
    if (it != chosen->functions.end() && it->second.component) std::cout << "  [" << *it->second.component << "]";
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddSymbolicateCommand(CLI::App& parent, const GlobalOptions& global) {
  auto report = std::make_shared<std::string>();
  auto symbols = std::make_shared<std::string>("dist/symbols");
  CLI::App* app = parent.add_subcommand("symbolicate", "Name the frames of a device's crash report by build id");
  app->add_option("REPORT", *report, "A crash report (the state's reports/N.json)")->required();
  app->add_option("--symbols", *symbols, "The release's symbol maps (default dist/symbols)")->option_text("DIR");
  return {app, [report, symbols, &global] { return Symbolicate(*report, *symbols, global); }};
}

}  // namespace ws
