#include "macro-expander/macro_expander.h"

#include <algorithm>
#include <optional>

#include "macro-expander/clang_frontend.h"
#include "macro-expander/code_generator.h"
#include "macro-expander/dsl_checker.h"
#include "macro-expander/dsl_parser.h"
#include "macro-expander/literal_table.h"
#include "macro-expander/source_map.h"
#include "platform/atomic_file.h"

namespace ws {
namespace {

struct Replacement {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;
};

void Report(const std::vector<dsl::DslError>& errors, const dsl::SourceMap& map, DiagnosticSink& sink) {
  for (const dsl::DslError& e : errors) sink.Error(map.SpanOf(e.range), e.message, e.notes);
}

// One block: parse, check, generate. No replacement when it has errors.
void ExpandCall(const std::string& file_text, const std::string& display, dsl::ComposeCall& call,
                dsl::LiteralTable* table, std::vector<Replacement>& out, DiagnosticSink& sink) {
  dsl::SourceMap map(file_text, call.block_begin, display);
  dsl::ParseResult parsed = dsl::Parse(call.block);
  Report(parsed.errors, map, sink);
  if (!parsed.root || !parsed.errors.empty()) return;
  std::vector<dsl::DslError> problems = dsl::Check(*parsed.root, call.composable, *call.resolver);
  Report(problems, map, sink);
  if (!problems.empty()) return;
  auto [line, column] = map.FilePosition(call.call_end);
  out.push_back({call.call_begin, call.call_end,
                 dsl::GenerateCompose(*parsed.root, *call.resolver, map, line, column, table, call.composable)});
}

// `prologue`: declarations that go before the source's first line.
std::string Apply(const std::string& text, std::vector<Replacement> replacements, const std::string& display,
                  const std::string& prologue = "") {
  std::sort(replacements.begin(), replacements.end(), [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  std::string out = prologue + "#line 1 \"" + display + "\"\n";
  uint32_t pos = 0;
  for (const Replacement& r : replacements) {
    out.append(text, pos, r.begin - pos);
    out += r.text;
    pos = r.end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace

ExpandResult ExpandSource(const ExpandRequest& request, DiagnosticSink& sink) {
  ExpandResult result;
  Result<std::string> text = ReadFile(request.source);
  if (!text) {
    sink.Error({request.display, 0, 0, 1}, text.error().message);
    return result;
  }
  size_t errors_before = sink.ErrorCount();
  std::vector<Replacement> replacements;
  std::optional<dsl::LiteralTable> table;
  if (request.literal_table) table.emplace(dsl::LiteralTablePrefix(request.display));
  dsl::LiteralTable* literals = table ? &*table : nullptr;
  dsl::FrontendResult frontend = dsl::RunFrontend(
      request.source, request.display, request.clang_args,
      [&](std::vector<dsl::ComposeCall>& calls) {
        for (dsl::ComposeCall& call : calls) ExpandCall(*text, request.display, call, literals, replacements, sink);
      },
      sink);
  result.cpp_errors = frontend.cpp_errors;
  result.dependencies = std::move(frontend.dependencies);
  if (!frontend.parsed) {
    // clang could not even build an AST (a missing header, say): leave the
    // file as it is; compiling it reports the real problem.
    result.ok = true;
    result.text = Apply(*text, {}, request.display);
    if (table) result.literals = dsl::LiteralTable(dsl::LiteralTablePrefix(request.display)).Definitions(request.display, *text);
    return result;
  }
  result.blocks = static_cast<int>(replacements.size());
  result.ok = sink.ErrorCount() == errors_before;
  result.text = Apply(*text, std::move(replacements), request.display, table ? table->Declarations() : "");
  if (table) result.literals = table->Definitions(request.display, *text);
  return result;
}

}  // namespace ws
