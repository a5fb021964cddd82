// The expander on real sources through clang: golden expansions of every
// construct (which must also compile), and one file per diagnostic class
// with the expected diagnostics marked inline, the way Slint's syntax tests
// do: a comment line `// ^error{message}` under the offending line, the
// caret under the expected column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "macro-expander/literal_table.h"
#include "macro-expander/macro_expander.h"
#include "platform/atomic_file.h"
#include "platform/subprocess.h"

namespace ws {
namespace {

namespace fs = std::filesystem;

const std::string kTestData = std::string(WASMSHIP_SOURCE_DIR) + "/macro-expander/testdata/";

std::vector<std::string> ClangArgs() {
  return {"--target=wasm32-wasi", "--sysroot=/usr", "-std=c++20", "-fno-exceptions",
          "-I" + std::string(WASMSHIP_SOURCE_DIR) + "/runtime/include",
          "-resource-dir=/usr/lib/llvm-19/lib/clang/19"};
}

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(kTestData + dir)) {
    if (f.path().extension() == ".cpp") files.push_back(f.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class GoldenExpansionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenExpansionTest, MatchesGoldenAndCompiles) {
  std::string source = kTestData + "expand/" + GetParam();
  DiagnosticSink sink;
  ExpandResult result = ExpandSource({source, "expand/" + GetParam(), ClangArgs()}, sink);
  ASSERT_TRUE(result.ok) << (sink.diagnostics().empty() ? "" : sink.diagnostics()[0].message);
  EXPECT_GT(result.blocks, 0);
  std::string golden = source + ".expanded";
  if (std::getenv("WASMSHIP_UPDATE_GOLDENS") != nullptr) ASSERT_TRUE(WriteFileAtomically(golden, result.text));
  EXPECT_EQ(result.text, *ReadFile(golden)) << "to accept the new expansion: WASMSHIP_UPDATE_GOLDENS=1";
  // The expansion is plain C++ that clang accepts for wasm32.
  std::string expanded = (fs::path(::testing::TempDir()) / ("ws_expanded_" + GetParam())).string();
  ASSERT_TRUE(WriteFileAtomically(expanded, result.text));
  std::vector<std::string> argv = {"clang++-19", "-fsyntax-only", "-iquote", kTestData + "expand"};
  for (const std::string& a : ClangArgs()) argv.push_back(a);
  argv.push_back(expanded);
  Result<ProcessResult> compiled = RunProcess(argv);
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->Succeeded()) << compiled->output;
}


// With a literal table the expansion and the table's unit are both plain C++.
TEST_P(GoldenExpansionTest, WithLiteralTableBothUnitsCompile) {
  std::string source = kTestData + "expand/" + GetParam();
  DiagnosticSink sink;
  ExpandRequest request{source, "expand/" + GetParam(), ClangArgs(), /*literal_table=*/true};
  ExpandResult result = ExpandSource(request, sink);
  ASSERT_TRUE(result.ok);
  ASSERT_FALSE(result.literals.empty());
  std::string dir = ::testing::TempDir();
  std::string expanded = (fs::path(dir) / ("ws_table_" + GetParam())).string();
  std::string literals = (fs::path(dir) / ("ws_literals_" + GetParam())).string();
  ASSERT_TRUE(WriteFileAtomically(expanded, result.text));
  ASSERT_TRUE(WriteFileAtomically(literals, result.literals));
  for (const std::string& unit : {expanded, literals}) {
    std::vector<std::string> argv = {"clang++-19", "-fsyntax-only", "-Werror", "-iquote", kTestData + "expand"};
    for (const std::string& a : ClangArgs()) argv.push_back(a);
    argv.push_back(unit);
    Result<ProcessResult> compiled = RunProcess(argv);
    ASSERT_TRUE(compiled);
    EXPECT_TRUE(compiled->Succeeded()) << unit << ":\n" << compiled->output;
  }
}

INSTANTIATE_TEST_SUITE_P(Constructs, GoldenExpansionTest, ::testing::ValuesIn(Files("expand")),
                         [](const auto& info) { return fs::path(info.param).stem().string(); });

// The point of the table: editing a text, a color or a size leaves the
// expansion's text as it was (so its object is a cache hit).
TEST(LiteralTableExpansionTest, EditingLiteralsChangesOnlyTheTable) {
  std::string original = *ReadFile(kTestData + "expand/literals.cpp");
  std::string edited = original;
  for (auto [from, to] : {std::pair<std::string, std::string>{"Say \\\"hi\\\"", "Bonjour"},
                          {"#FFCC0080", "#00FF00"}, {"size: 28", "size: 31.5"}, {"720px", "1080px"}}) {
    size_t at = edited.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    edited.replace(at, from.size(), to);
  }
  std::string dir = ::testing::TempDir();
  std::vector<ExpandResult> results;
  for (const std::string& text : {original, edited}) {
    std::string path = (fs::path(dir) / ("ws_literal_edit_" + std::to_string(results.size()) + ".cpp")).string();
    ASSERT_TRUE(WriteFileAtomically(path, text));
    DiagnosticSink sink;
    results.push_back(ExpandSource({path, "src/page.cpp", ClangArgs(), /*literal_table=*/true}, sink));
    ASSERT_TRUE(results.back().ok);
  }
  EXPECT_EQ(results[0].text, results[1].text);
  EXPECT_NE(results[0].literals, results[1].literals);
  EXPECT_NE(results[1].literals.find("\"Bonjour\""), std::string::npos) << results[1].literals;
  EXPECT_NE(results[1].literals.find("0x00FF00FFu"), std::string::npos) << results[1].literals;
  EXPECT_NE(results[1].literals.find("31.5f"), std::string::npos) << results[1].literals;
  EXPECT_NE(results[1].literals.find("1080.0f"), std::string::npos) << results[1].literals;
  EXPECT_EQ(results[0].text.find("Say"), std::string::npos) << "the text stays out of the expansion";
  // Without clang, the table of the edit is exactly the full expansion's.
  std::optional<std::string> patched = dsl::PatchLiterals(original, results[0].literals, edited, "src/page.cpp");
  ASSERT_TRUE(patched);
  EXPECT_EQ(*patched, results[1].literals);
}

struct Expected {
  uint32_t line = 0, column = 0;
  std::string message;
  bool operator<(const Expected& o) const { return std::tie(line, column, message) < std::tie(o.line, o.column, o.message); }
  bool operator==(const Expected&) const = default;
};

std::string Show(const std::set<Expected>& set) {
  std::string out;
  for (const Expected& e : set) out += "  " + std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.message + "\n";
  return out;
}

// `// ^error{...}` lines: the caret's column, on the nearest line above
// that is not itself a marker.
std::set<Expected> Markers(const std::string& text) {
  static const std::regex kMarker(R"(^(\s*//\s*)\^error\{(.*)\}\s*$)");
  std::set<Expected> expected;
  std::istringstream in(text);
  std::string line;
  uint32_t number = 0, target = 0;
  while (std::getline(in, line)) {
    ++number;
    std::smatch m;
    if (std::regex_match(line, m, kMarker)) {
      expected.insert({target, static_cast<uint32_t>(m[1].length() + 1), m[2]});
    } else {
      target = number;
    }
  }
  return expected;
}

class DiagnosticsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DiagnosticsTest, ReportsExactlyTheMarkedErrors) {
  std::string source = kTestData + "diagnostics/" + GetParam();
  std::set<Expected> expected = Markers(*ReadFile(source));
  ASSERT_FALSE(expected.empty());
  DiagnosticSink sink;
  ExpandResult result = ExpandSource({source, GetParam(), ClangArgs()}, sink);
  EXPECT_FALSE(result.ok);
  std::set<Expected> actual;
  for (const Diagnostic& d : sink.diagnostics()) {
    EXPECT_EQ(d.span.file, GetParam());
    actual.insert({d.span.line, d.span.column, d.message});
  }
  EXPECT_EQ(actual.size(), sink.diagnostics().size()) << "duplicate diagnostics";
  EXPECT_TRUE(actual == expected) << "expected:\n" << Show(expected) << "actual:\n" << Show(actual);
}

INSTANTIATE_TEST_SUITE_P(Classes, DiagnosticsTest, ::testing::ValuesIn(Files("diagnostics")),
                         [](const auto& info) { return fs::path(info.param).stem().string(); });

}  // namespace
}  // namespace ws
