// wasmship expand FILE.cpp: print a source with its compose blocks expanded
// (like cargo expand): plans the source's flags, then hands over to
// wasmship-expander, which the build also runs for each DSL source.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/failure.h"
#include "cli/project_root.h"
#include "compiler-driver/compiler_driver.h"
#include "macro-expander/compose_blocks.h"

namespace ws {
namespace {

int RunExpand(const std::string& file, const std::string& profile, const GlobalOptions& global) {
  std::optional<ProjectRoot> project = EnterProjectRoot(global);
  if (!project) return kExitUsage;
  bool color = global.stderr_color;
  DiagnosticSink sink;
  BuildOptions options;
  options.manifest_path = project->manifest;
  options.profile = profile;
  std::string relative = std::filesystem::relative(project->Resolve(file), project->root).string();
  std::optional<ExpansionInputs> inputs = PlanExpansion(options, relative, sink);
  if (!inputs) return Fail(global, kExitUsage, sink);
  if (!inputs->has_blocks && !global.quiet) std::cerr << "wasmship: " << inputs->display << " has no compose blocks\n";
  // The expander prints the expansion and the diagnostics and exits with
  // the command's code; only it loads libTooling.
  std::cout.flush();
  std::vector<std::string> args = {ExpanderBeside(SelfExecutable()), "--color", color ? "always" : "never",
                                   "--display", inputs->display, "--stdout", inputs->source, "--"};
  args.insert(args.end(), inputs->clang_args.begin(), inputs->clang_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  return Fail(global, kExitUsage, "cannot run " + args[0] + ": " + std::strerror(errno),
              {"wasmship-expander is built and installed beside wasmship (./scripts/build)"});
}

}  // namespace

Command AddExpandCommand(CLI::App& parent, const GlobalOptions& global) {
  auto file = std::make_shared<std::string>();
  auto profile = std::make_shared<std::string>("debug");
  CLI::App* app = parent.add_subcommand("expand", "Print a source with its compose blocks expanded to C++");
  app->add_option("FILE", *file, "A source file of the project")->required();
  app->add_option("-p,--profile", *profile, "Profile whose flags to use (default debug)")->option_text("PROFILE");
  return {app, [file, profile, &global] { return RunExpand(*file, *profile, global); }};
}

}  // namespace ws
