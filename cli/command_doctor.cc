// wasmship doctor: is everything wasmship needs on this machine?
#include <dlfcn.h>
#include <sodium.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <iomanip>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "compiler-driver/toolchain.h"
#include "macro-expander/compose_blocks.h"
#include "platform/subprocess.h"

namespace ws {
namespace {

ToolCheck CheckPrograms(const std::string& name, const std::vector<std::string>& programs,
                        const std::string& package) {
  ToolCheck check{name, true, "", package};
  for (const std::string& program : programs) {
    std::optional<std::string> path = FindExecutable(program);
    if (!path) {
      check.ok = false;
      check.detail = program + " not found on PATH";
      return check;
    }
    check.detail += (check.detail.empty() ? "" : ", ") + *path;
  }
  return check;
}

ToolCheck CheckSharedLibrary(const std::string& name, const std::string& soname,
                             const std::string& package) {
  void* handle = ::dlopen(soname.c_str(), RTLD_LAZY | RTLD_LOCAL);
  ToolCheck check{name, handle != nullptr, handle ? soname : soname + " cannot be loaded", package};
  if (handle != nullptr) ::dlclose(handle);
  return check;
}

// The DSL expander runs as its own executable (it alone loads libTooling):
// starting it proves libclang-cpp and libLLVM load. (Not dlopen here:
// libbinaryen carries LLVM symbols of its own that clash with libLLVM's.)
ToolCheck CheckExpander() {
  std::string path = ExpanderBeside(SelfExecutable());
  if (::access(path.c_str(), X_OK) != 0) return {"wasmship-expander", false, path + " is missing: run ./scripts/build", ""};
  Result<ProcessResult> ran = RunProcess({path, "--help"});
  if (ran && ran->Succeeded()) return {"wasmship-expander", true, path + " (libclang-cpp 19, libLLVM 19)", ""};
  std::string why = ran ? ran->output.substr(0, ran->output.find('\n')) : ran.error().message;
  return {"wasmship-expander", false, "cannot start: " + why, "libclang-cpp19 libllvm19"};
}

std::vector<ToolCheck> AllChecks() {
  std::vector<ToolCheck> checks = CheckToolchain();
  checks.push_back(CheckLlvmNm(checks[0].ok ? checks[0].detail : ""));
  checks.push_back(CheckExpander());
  checks.push_back(CheckPrograms("binaryen", {"wasm-opt"}, "binaryen"));
  checks.push_back(CheckSharedLibrary("libbinaryen", "libbinaryen.so", "binaryen"));
  checks.push_back(CheckPrograms("wabt", {"wasm-validate", "wasm2c"}, "wabt"));
  // zstd and libsodium are linked into wasmship: if it runs, they are here.
  checks.push_back({"zstd", true, std::string("libzstd ") + ZSTD_versionString(), "libzstd1"});
  checks.push_back({"libsodium", sodium_init() >= 0,
                    std::string("libsodium ") + sodium_version_string(), "libsodium23"});
  return checks;
}

int RunDoctor(const GlobalOptions& global) {
  bool color = global.stdout_color;
  std::vector<ToolCheck> checks = AllChecks();
  std::vector<std::string> missing_packages;
  for (const ToolCheck& check : checks) {
    const char* mark = check.ok         ? (color ? "\033[32mok     \033[0m" : "ok     ")
                       : check.optional ? (color ? "\033[33mabsent \033[0m" : "absent ")
                                        : (color ? "\033[31mmissing\033[0m" : "missing");
    std::cout << "  " << mark << "  " << std::left << std::setw(22) << check.name << check.detail;
    if (!check.ok && !check.package.empty()) std::cout << "  (install package " << check.package << ")";
    if (!check.ok && check.optional) std::cout << "; optional: builds work, reports name less";
    std::cout << "\n";
    if (check.optional) continue;
    bool listed = std::find(missing_packages.begin(), missing_packages.end(), check.package) !=
                  missing_packages.end();
    if (!check.ok && !listed && !check.package.empty()) missing_packages.push_back(check.package);
  }
  bool all_ok = std::all_of(checks.begin(), checks.end(), [](const ToolCheck& c) { return c.ok || c.optional; });
  if (all_ok) {
    if (!global.quiet) std::cout << "everything wasmship needs is installed\n";
    return kExitOk;
  }
  if (missing_packages.empty()) return kExitUsage;
  std::cout << "\nto fix: sudo apt-get install";
  for (const std::string& package : missing_packages) std::cout << " " << package;
  std::cout << "\n";
  return kExitUsage;
}

}  // namespace

Command AddDoctorCommand(CLI::App& parent, const GlobalOptions& global) {
  CLI::App* app = parent.add_subcommand("doctor", "Check every tool, library and sysroot wasmship needs");
  return {app, [&global] { return RunDoctor(global); }};
}

}  // namespace ws
