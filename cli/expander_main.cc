// wasmship-expander: expands one source's compose blocks. The build runs it
// for each DSL source, and `wasmship expand` hands over to it, so that only
// this executable loads libTooling (libclang-cpp, libLLVM) and every other
// wasmship command starts in a fraction of the time.
//
//   wasmship-expander [--color always|never] [--display NAME] (--output FILE | --stdout)
//                     [--depfile FILE] [--literals FILE] SOURCE -- CLANG_ARGS...
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/exit_code.h"
#include "diagnostics/diagnostic_printer.h"
#include "macro-expander/macro_expander.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

struct ExpanderFlags {
  std::string color = "never";
  std::string display;
  std::string output;
  bool to_stdout = false;
  std::string depfile;
  std::string literals;
  std::string source;
  std::vector<std::string> clang_args;
};

int Expand(const ExpanderFlags& flags) {
  DiagnosticSink sink;
  ExpandRequest request{flags.source, flags.display.empty() ? flags.source : flags.display, flags.clang_args,
                        !flags.literals.empty()};
  if (!flags.depfile.empty()) request.clang_args.insert(request.clang_args.end(), {"-MD", "-MF", flags.depfile});
  ExpandResult result = ExpandSource(request, sink);
  DiagnosticPrinter(std::cerr, flags.color == "always").PrintAll(sink.diagnostics());
  if (!result.ok) return kExitBuildError;
  if (flags.to_stdout) {
    std::cout << result.text;
    return kExitOk;
  }
  Status written = flags.literals.empty() ? Status() : WriteFileAtomically(flags.literals, result.literals);
  if (written) written = WriteFileAtomically(flags.output, result.text);
  if (!written) {
    std::cerr << "wasmship: error: " << written.error().message << "\n";
    return kExitBuildError;
  }
  return kExitOk;
}

int Run(int argc, char** argv) {
  CLI::App app("wasmship-expander: expands a source's compose blocks (run by wasmship)", "wasmship-expander");
  ExpanderFlags flags;
  app.add_option("--color", flags.color)->check(CLI::IsMember({"always", "never"}));
  app.add_option("--display", flags.display, "How diagnostics name the source");
  CLI::Option* output = app.add_option("--output", flags.output, "Write the expansion here");
  CLI::Option* to_stdout = app.add_flag("--stdout", flags.to_stdout, "Print the expansion");
  output->excludes(to_stdout);
  app.add_option("--depfile", flags.depfile, "Write the files the parse read (make syntax)");
  app.add_option("--literals", flags.literals, "Write the DSL's texts, colors and sizes here, as a unit of their own")
      ->excludes(to_stdout);
  app.add_option("source", flags.source)->required();
  app.add_option("clang_args", flags.clang_args, "The unit's compile flags, after --");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (flags.output.empty() && !flags.to_stdout) {
    std::cerr << "wasmship-expander: error: give --output FILE or --stdout\n";
    return kExitUsage;
  }
  return Expand(flags);
}

}  // namespace
}  // namespace ws

int main(int argc, char** argv) {
  try {
    return ws::Run(argc, argv);
  } catch (const std::exception& e) {
    // Libraries return errors as values; reaching this is a wasmship bug.
    std::cerr << "wasmship-expander: internal error: " << e.what() << "\n";
    return ws::kExitBuildError;
  }
}
