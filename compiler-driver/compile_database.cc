#include "compiler-driver/compile_database.h"

#include <nlohmann/json.hpp>

#include "platform/atomic_file.h"

namespace ws {

std::string CompileDatabaseJson(const BuildPlan& plan) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const CompileUnit& unit : plan.units) {
    std::vector<std::string> arguments = unit.command;
    arguments.insert(arguments.end(), {"-c", unit.source, "-o", unit.object});
    entries.push_back({{"directory", plan.root},
                       {"file", unit.source},
                       {"arguments", arguments},
                       {"output", unit.object}});
  }
  return entries.dump(2) + "\n";
}

Status WriteCompileDatabase(const BuildPlan& plan) {
  std::string path = plan.state_dir + "/compile_commands.json";
  std::string json = CompileDatabaseJson(plan);
  Result<std::string> existing = ReadFile(path);
  if (existing && *existing == json) return {};
  return WriteFileAtomically(path, json);
}

}  // namespace ws
