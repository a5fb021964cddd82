// .wasmship/compile_commands.json, so that clangd and other tools see app
// sources with the exact wasm32 flags of the build.
#pragma once

#include <string>

#include "compiler-driver/build_plan.h"
#include "diagnostics/result.h"

namespace ws {

std::string CompileDatabaseJson(const BuildPlan& plan);

// Writes the database when its content changed (an unchanged file keeps its
// mtime, so editors do not reload it on every build).
Status WriteCompileDatabase(const BuildPlan& plan);

}  // namespace ws
