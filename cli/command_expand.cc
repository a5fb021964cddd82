// wasmship expand FILE.cpp: print a source with its compose blocks expanded
// (like cargo expand). Also the hidden `__expand`, which the build runs in a
// subprocess for each source with compose blocks.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/project_root.h"
#include "compiler-driver/compiler_driver.h"
#include "diagnostics/diagnostic_printer.h"
#include "macro-expander/macro_expander.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

struct InternalFlags {
  std::string color = "never";
  std::string display;
  std::string output;
  std::string depfile;
  std::string source;
  std::vector<std::string> clang_args;
};

int RunInternal(const InternalFlags& flags) {
  DiagnosticSink sink;
  ExpandRequest request{flags.source, flags.display.empty() ? flags.source : flags.display, flags.clang_args};
  if (!flags.depfile.empty()) request.clang_args.insert(request.clang_args.end(), {"-MD", "-MF", flags.depfile});
  ExpandResult result = ExpandSource(request, sink);
  DiagnosticPrinter(std::cerr, flags.color == "always").PrintAll(sink.diagnostics());
  if (!result.ok) return kExitBuildError;
  if (Status written = WriteFileAtomically(flags.output, result.text); !written) {
    std::cerr << "wasmship: error: " << written.error().message << "\n";
    return kExitBuildError;
  }
  return kExitOk;
}

int RunExpand(const std::string& file, const std::string& profile, const GlobalOptions& global) {
  std::optional<ProjectRoot> project = EnterProjectRoot(global);
  if (!project) return kExitUsage;
  bool color = UseColor(global.color, STDERR_FILENO);
  DiagnosticSink sink;
  BuildOptions options;
  options.manifest_path = project->manifest;
  options.profile = profile;
  std::string relative = std::filesystem::relative(project->Resolve(file), project->root).string();
  std::optional<ExpansionInputs> inputs = PlanExpansion(options, relative, sink);
  if (!inputs) {
    DiagnosticPrinter(std::cerr, color).PrintAll(sink.diagnostics());
    return kExitUsage;
  }
  ExpandResult result = ExpandSource({inputs->source, inputs->display, inputs->clang_args}, sink);
  DiagnosticPrinter(std::cerr, color).PrintAll(sink.diagnostics());
  if (!result.ok) return kExitBuildError;
  std::cout << result.text;
  if (!inputs->has_blocks && !global.quiet) std::cerr << "wasmship: " << inputs->display << " has no compose blocks\n";
  return kExitOk;
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

Command AddInternalExpandCommand(CLI::App& parent) {
  auto flags = std::make_shared<InternalFlags>();
  CLI::App* app = parent.add_subcommand("__expand", "");
  app->group("");  // hidden: the build's own step
  app->add_option("--color", flags->color);
  app->add_option("--display", flags->display);
  app->add_option("--output", flags->output)->required();
  app->add_option("--depfile", flags->depfile);
  app->add_option("source", flags->source)->required();
  app->add_option("clang_args", flags->clang_args);
  return {app, [flags] { return RunInternal(*flags); }};
}

}  // namespace ws
