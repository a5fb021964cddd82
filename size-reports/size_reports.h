// size-reports: where a module's bytes go, what the build's gates say, and
// how two builds differ.
//
// Data sources (a wasm module, a link map) produce labelled byte ranges
// that always sum to the file size; output formats render them. The build's
// dist/report.json (schema: docs/report.md) is the data model every
// renderer, `report diff` and `budget check` read, so they work on any
// finished build, not only the one in memory.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics/result.h"
#include "size-reports/call_graph.h"
#include "size-reports/perf_limits.h"
#include "wasm-binary/symbol_map.h"

namespace ws::size {

using Json = nlohmann::ordered_json;

// --- data sources -------------------------------------------------------------

struct SectionSize {
  std::string name;  // "header", "type", "import", ..., "code", "data", "custom:name"
  int id = -1;       // the wasm section id; -1 for the 8-byte header
  uint64_t offset = 0;
  uint64_t bytes = 0;  // the whole section: id, size LEB and contents
};

struct FunctionSize {
  uint32_t index = 0;  // in the function index space (imports first)
  std::string name;    // demangled, or "func[N]" when nothing names it
  std::string component;
  // Below "app": its source file ("src/main.cpp"); below "runtime": its
  // system ("layout", "ecs", ...: RuntimeSystem). "" elsewhere or unknown.
  std::string part;
  std::string composable;  // app: the UI_COMPOSABLE function holding it (lambdas included)
  uint64_t offset = 0;  // of the body's size LEB in the file
  uint64_t bytes = 0;   // size LEB plus body
};

struct ComponentSize {
  std::string name;  // runtime, app, libc++, libc, compiler-rt, data, module
  uint64_t bytes = 0;
  uint32_t functions = 0;
  uint64_t compressed_estimate = 0;  // share of the compressed payload; 0 until estimated
};

// A node of the component tree: component → part (file or system) →
// composable. A node's bytes include its children's; what no child holds
// stays with the node itself.
struct Rollup {
  std::string name;
  std::string kind;  // "component", "file", "system", "composable"
  uint64_t bytes = 0;
  uint32_t functions = 0;
  std::vector<Rollup> children;  // by bytes desc, then name
};

struct ModuleSizes {
  uint64_t file_bytes = 0;
  std::vector<SectionSize> sections;      // file order; sums to file_bytes
  std::vector<FunctionSize> functions;    // every defined function; by bytes desc, then name
  std::vector<ComponentSize> components;  // sums to file_bytes; by bytes desc, then name
  std::vector<Rollup> tree;               // components with their parts and composables
};

// Code bytes with a named home: libc, libc++, compiler-rt and module
// functions, and app/runtime functions with a part (a file or a system).
struct Attributed {
  uint64_t code_bytes = 0;       // every function body
  uint64_t named_bytes = 0;      // of those, with a named home
  uint64_t app_runtime_bytes = 0;
  uint64_t app_runtime_named = 0;  // app/runtime bytes with a part
};
Attributed AttributionOf(const ModuleSizes& sizes);

// The components, parts and composables of `functions`, with the
// non-function components (data, module) of `components`.
std::vector<Rollup> BuildTree(const std::vector<FunctionSize>& functions, const std::vector<ComponentSize>& components);

// Function index → demangled name: the module's name section, or a build's
// symbol map for a stripped module.
using FunctionNames = std::map<uint32_t, std::string>;

// Which component a function belongs to, from wasm-ld's link map (--Map):
// the input object or archive member each symbol came from. Objects the
// link map cannot place (LTO's single lto.tmp) fall back to the name:
// ws:: / ws_ → runtime, std:: → libc++, else app (the function's own
// qualified name, without a template's return type). Refinements:
//  - templates instantiated in the app's or runtime's objects go by name
//    too (std::vector<Title> → libc++, ws::Bind<...> → runtime);
//  - std::function's wrappers around a lambda (std::__2::__function::...
//    <Owner()::$_0>) belong to the lambda's owner: they hold its body;
//  - linker-made functions (<internal>: __wasm_call_ctors) → "module";
//  - Binaryen's renames are undone: "byn$mgfn-shared$f" → f, and the
//    ".1", ".2" it appends to equal names match the map's equal names in
//    index order.
// Map symbol names may be demangled (wasm-ld's default) or mangled
// (--no-demangle); both work.
// Where a function's code comes from.
struct Attribution {
  std::string component;
  std::string part;        // see FunctionSize::part
  std::string composable;  // see FunctionSize::composable
  bool operator==(const Attribution&) const = default;
};

// What the build knows about its sources beyond the link map, for the
// parts and composables below app and runtime (an LTO link map places
// every app and runtime function in one lto.tmp).
struct SourceInfo {
  // Link inputs in link order: object path → the source it was compiled
  // from, as reports show it ("src/main.cpp", "wasmship-runtime/src/layout.cc").
  std::vector<std::pair<std::string, std::string>> sources;
  // Demangled function symbol (spaces removed) → the objects defining it,
  // in link order: llvm-nm's view of each (bitcode) object.
  std::map<std::string, std::vector<std::string>> definers;
  std::set<std::string> composables;  // names of the app's UI_COMPOSABLE functions
  // The runtime's headers (display path, text): a runtime template that
  // only the app's objects instantiate belongs to the header defining it.
  std::vector<std::pair<std::string, std::string>> runtime_headers;
};

// Adds `llvm-nm --defined-only --demangle --print-file-name` output
// ("OBJECT: -------- T name" lines) to `info.definers`.
void AddDefinedSymbols(SourceInfo& info, std::string_view nm_output);
// The UI_COMPOSABLE functions a source declares or defines, by name.
std::set<std::string> ComposablesIn(std::string_view source_text);
// A runtime source's system: its file's stem ("wasmship-runtime/src/layout.cc"
// → "layout"), world.cc being the ECS ("ecs").
std::string RuntimeSystem(std::string_view source);

class ComponentMap {
 public:
  // `objects`: what the build knows about its own inputs (object path →
  // "runtime" or "app", as passed to wasm-ld; an absolute path also matches
  // the map's relative one and vice versa); archives are recognised by
  // name (libc.a, libc++.a, libc++abi.a, libclang_rt.builtins*.a), crt1*.o
  // is libc. In an LTO link `objects` still places _GLOBAL__sub_I_<file>.
  // With `sources`, app and runtime functions also get their part and
  // composable: by the object the link map places them in, else (LTO) by
  // the object defining them; a lambda's code, and the callback and
  // std::function instantiations around it, by the function it is
  // written in.
  static ComponentMap FromLinkMap(std::string_view map_text, const std::map<std::string, std::string>& objects,
                                  const SourceInfo* sources = nullptr);
  // Without a link map: by name only.
  static ComponentMap ByName();
  // The components a build already attributed (its symbol map's function
  // name → component); names it does not list go by name.
  static ComponentMap FromComponents(std::map<std::string, std::string> by_symbol);
  static ComponentMap FromAttributions(std::map<std::string, Attribution> by_symbol);
  std::string ComponentOf(const std::string& function_name) const { return AttributionOf(function_name).component; }
  Attribution AttributionOf(const std::string& function_name) const;

 private:
  std::map<std::string, Attribution> by_symbol_;
};

// Parses the module (with wasm-binary's bounds-checked reader: Binaryen's C
// API has no function sizes). `names` are used as given ("func[N]" where
// absent); `components` may be null (then by name, as ComponentMap::ByName).
// Fails, with a message, on bytes that are not a well-formed module: bad
// magic, a truncated or overlong section, an unknown section id, a
// malformed type/import/export/code/name section. Never crashes.
Result<ModuleSizes> AnalyzeModule(std::span<const uint8_t> wasm, const FunctionNames& names,
                                  const ComponentMap* components);
// Whether `map` (dist/symbols/<variant>.map.json) describes `module`: its
// identity (function count, code hash) must match; a map of an older build,
// without one, must agree with the module's own names where it has any.
// The error names both files and what differs: a map of another build
// would misname every function, so it is refused, never trusted.
Status CheckSymbolMap(const wasm::SymbolMapFile& map, std::span<const uint8_t> module, const FunctionNames& own_names,
                      const std::string& map_path, const std::string& file);

// The module's own name section, if it has one, demangled; empty for an
// unreadable module.
FunctionNames NamesFromModule(std::span<const uint8_t> wasm);
// Fills compressed_estimate: each component's bytes compressed alone at
// `level`, scaled so that the estimates sum to `compressed_total`.
void EstimateCompressedShares(ModuleSizes& sizes, std::span<const uint8_t> wasm, uint64_t compressed_total,
                              int level);

// The "size" object of a variant in report.json.
Json ToJson(const ModuleSizes& sizes);
Json FunctionJson(const FunctionSize& f);
Json RollupJson(const Rollup& rollup);

// --- `wasmship size FILE [--diff OTHER]` ----------------------------------------

// The report formats, and every command's `--format` names (cli offers a
// subset per command). A format added here fails the build wherever a
// switch over formats leaves it out (-Wswitch, an error under -Werror).
enum class Format { kText, kJson, kMarkdown, kHtml };
inline constexpr Format kAllFormats[] = {Format::kText, Format::kJson, Format::kMarkdown, Format::kHtml};

constexpr const char* FormatName(Format format) {
  switch (format) {
    case Format::kText: return "text";
    case Format::kJson: return "json";
    case Format::kMarkdown: return "md";
    case Format::kHtml: return "html";
  }
  return "text";
}

// Rows sorted by size then name; the first `top` functions (0: all), the
// rest summed in a "(N others)" row. kJson is ToJson() plus "file" and
// "other_functions": {count, bytes}.
std::string RenderSizes(const ModuleSizes& sizes, const std::string& file_label, Format format, size_t top);
// head − base per section, component and function (matched by name),
// largest change first; unchanged functions left out, new and removed ones
// marked, the first `top` (0: all) and the rest summed; a total row.
std::string RenderSizeDiff(const ModuleSizes& base, const ModuleSizes& head, const std::string& base_label,
                           const std::string& head_label, Format format, size_t top);

// Rollups (component, file or system, composable) are diffed too: rows
// named by their path in the tree ("app/src/main.cpp/Root").

// --- `wasmship size FILE --dominators | --why NAME | --garbage` ------------------

// The dominator tree from the virtual root: each function with its own
// (shallow) and retained bytes, children by retained size; `rows` lines at
// most (0: all), `depth` levels (0: all).
std::string RenderDominators(const ModuleSizes& sizes, const CallGraph& graph, const std::string& file_label,
                             Format format, size_t rows, size_t depth);
// For each function whose name is `query` (else contains it, case
// insensitive; the `top` largest, 0: all): the shortest call path from a
// root, its direct callers and its immediate dominator. An error naming
// the nearest names when nothing matches.
Result<std::string> RenderWhy(const ModuleSizes& sizes, const CallGraph& graph, const std::string& query,
                              const std::string& file_label, Format format, size_t top);
// Functions no export, start function or table entry reaches.
std::string RenderGarbage(const ModuleSizes& sizes, const CallGraph& graph, const std::string& file_label,
                          Format format, size_t top);

// --- budgets ----------------------------------------------------------------------

struct Limit {
  uint64_t bytes = 0;
  std::optional<double> percent;  // growth only: "2%"
};

// One device's (or the default's) budget from wasmship.yaml.
struct BudgetRules : PerfLimits {
  std::optional<Limit> bundle;  // .wsb bytes
  std::optional<Limit> wasm;    // module bytes
  std::optional<Limit> growth;  // bundle growth against the baseline report
  std::map<std::string, Limit> components;
  std::optional<uint32_t> frame_trap_growth;  // new trap sites on the frame path allowed
  // The performance limits (PerfLimits, checked against variant["perf"]):
  // the time ones are advisory unless `strict_time`.
  bool strict_time = false;
};

struct BudgetResult {
  std::string device;
  std::string variant;
  std::string rule;    // "bundle", "wasm", "growth", "component libc++", "frame traps"
  std::string limit;   // as written: "400 KiB", "2%"
  std::string actual;  // "412.3 KiB", "+3.1% (+12.0 KiB)"
  bool ok = true;
  bool advisory = false;  // over a time budget that only warns (ok stays true)
};

// Checks every device of `report` against its rules: "default"'s, with the
// device's own budget overriding rule by rule (and component by
// component); devices with neither are not checked. Growth and frame-trap
// rules need `baseline` (else they are reported as skipped, ok: actual
// "skipped: ..."); so is a bundle rule for a variant without a bundle.
// Results per variant, device and rule in report order; every violation
// is listed.
std::vector<BudgetResult> CheckBudgets(const std::map<std::string, BudgetRules>& budgets, const Json& report,
                                       const Json* baseline);
Json BudgetsToJson(const std::vector<BudgetResult>& results, bool checked, const std::string& baseline);
// Appends the performance rules' results for `device` of `variant` (its
// "perf" object: see docs/budgets.md); rules whose figure is missing are
// "skipped: not measured".
void CheckPerfBudgets(const BudgetRules& rules, const Json& variant, const std::string& device,
                      std::vector<BudgetResult>& results);
// "3,712,345 instructions" / "71.2 ms" lines of a variant's perf figures, for the renderers.
std::vector<std::string> PerfFacts(const Json& variant);
// JUnit XML of report["budgets"]: one testsuite, one testcase per device ×
// rule (classname = device, name = rule), <failure> for violations,
// <skipped> for skipped rules.
std::string RenderJUnit(const Json& report);

// --- renderers of report.json ---------------------------------------------------

// `top`: functions listed per variant (0: all). They never throw: missing
// or mistyped fields are left out.
std::string RenderReportText(const Json& report, size_t top);
// For a pull-request comment: summary and violations up front, long
// tables folded in <details>.
std::string RenderReportMarkdown(const Json& report, size_t top);
// One self-contained file: tables and a treemap of components → functions
// drawn by inline script from the embedded data.
std::string RenderReportHtml(const Json& report);

// --- `wasmship report diff BASE HEAD` ---------------------------------------------

// Variants matched by name: bundle and module bytes (a size regression when
// they grew by at least `size_threshold_percent` of the base: a few bytes of
// a changed literal are not worth a red verdict) and per-component bytes;
// added and removed variants listed; build timings (total, compile, link,
// optimize, bundle), shown always and, with `timings`, a stage regressing
// when it grew by > 25% and > 200 ms (timings are noise on shared CI
// machines, so they only count when asked). The text ends with the verdict
// line ("verdict: no regressions" / "verdict: regression — ..."). kText,
// kMarkdown and kJson; kHtml gives Markdown.
struct DiffOptions {
  double size_threshold_percent = 0.5;  // 0: any growth is a regression
  bool timings = false;                 // build-time growth counts too
};
struct ReportDiff {
  std::string text;
  bool regressed = false;  // the verdict
};
ReportDiff DiffReports(const Json& base, const Json& head, Format format, const DiffOptions& options = {});

}  // namespace ws::size
