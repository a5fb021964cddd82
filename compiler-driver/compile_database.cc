#include "compiler-driver/compile_database.h"

#include <nlohmann/json.hpp>

#include "platform/atomic_file.h"

namespace ws {

std::string CompileDatabaseJson(const BuildPlan& plan) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const CompileUnit& unit : plan.units) {
    if (unit.literals_of_previous) continue;  // generated; editors never open it
    // Editors see the user's file (compose() is valid C++ before expansion),
    // without the precompiled header, which only this clang can read.
    const std::string& source = unit.original.empty() ? unit.source : unit.original;
    std::vector<std::string> arguments;
    for (size_t i = 0; i < unit.command.size(); ++i) {
      if (unit.command[i] == "-include-pch") {
        ++i;
      } else if (unit.command[i] != "-fpch-validate-input-files-content" && unit.command[i].rfind("-iquote", 0) != 0) {
        arguments.push_back(unit.command[i]);
      }
    }
    arguments.insert(arguments.end(), {"-c", source, "-o", unit.object});
    entries.push_back({{"directory", plan.root}, {"file", source}, {"arguments", arguments}, {"output", unit.object}});
  }
  return entries.dump(2) + "\n";
}

Status WriteCompileDatabase(const BuildPlan& plan) {
  std::string path = plan.state_dir + "/compile_commands.json";
  std::string json = CompileDatabaseJson(plan);
  Result<std::string> existing = ReadFile(path, kStateFile);
  if (existing && *existing == json) return {};
  return WriteFileAtomically(path, json);
}

}  // namespace ws
