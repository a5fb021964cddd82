#include "diagnostics/diagnostic_printer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ws {
namespace {

TEST(DiagnosticPrinterTest, PrintsLocationExcerptCaretAndNotes) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("ws_printer_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "app: { name: x }\nsorces: [a]\n";
  Diagnostic d{Level::kError, "unknown key 'sorces'", {file.string(), 2, 1, 6}, {"valid keys: app"}};
  EXPECT_EQ(FormatDiagnostic(d), file.string() +
                                     ":2:1: error: unknown key 'sorces'\n"
                                     "    2 | sorces: [a]\n"
                                     "      | ^~~~~~\n"
                                     "note: valid keys: app\n");
  std::filesystem::remove(file);
}

TEST(DiagnosticPrinterTest, LongLineIsClippedAroundTheColumn) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("ws_printer_long_" + std::to_string(::getpid()) + ".yaml");
  std::string line = "sources: " + std::string(100000, '[') + "x" + std::string(100000, ']');
  std::ofstream(file) << "app: a\n" << line << "\n";
  Diagnostic d{Level::kError, "deep", {file.string(), 2, 100010, 1}, {}};
  std::string text = FormatDiagnostic(d);
  std::filesystem::remove(file);
  EXPECT_LT(text.size(), 500u) << text;
  std::string excerpt = "    2 | ..." + std::string(80, '[') + "x" + std::string(79, ']') + "...\n";
  EXPECT_NE(text.find(excerpt), std::string::npos) << text;
  // The caret stays under the 'x'.
  EXPECT_NE(text.find("\n      | " + std::string(3 + 80, ' ') + "^\n"), std::string::npos) << text;
}

TEST(DiagnosticPrinterTest, ClippedLineStartKeepsTheCaret) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("ws_printer_start_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "key" << std::string(1000, '-') << "\n";
  std::string text = FormatDiagnostic({Level::kError, "here", {file.string(), 1, 1, 3}, {}});
  std::filesystem::remove(file);
  EXPECT_NE(text.find("    1 | key" + std::string(157, '-') + "...\n      | ^~~\n"), std::string::npos) << text;
}

TEST(DiagnosticPrinterTest, FileWithoutLineHasNoExcerpt) {
  Diagnostic d{Level::kWarning, "empty file", {"x.yaml", 0, 0, 1}, {}};
  EXPECT_EQ(FormatDiagnostic(d), "x.yaml: warning: empty file\n");
}

TEST(DiagnosticPrinterTest, ColorWrapsLevel) {
  std::ostringstream out;
  DiagnosticPrinter(out, true).Print({Level::kError, "boom", {}, {}});
  EXPECT_NE(out.str().find("\033[1;31merror"), std::string::npos);
}

TEST(DiagnosticSinkTest, CountsErrorsOnly) {
  DiagnosticSink sink;
  sink.Warning({}, "w");
  EXPECT_FALSE(sink.HasErrors());
  sink.Error({}, "e");
  EXPECT_EQ(sink.ErrorCount(), 1u);
  EXPECT_EQ(sink.Take().size(), 2u);
  EXPECT_FALSE(sink.HasErrors());
}

}  // namespace
}  // namespace ws
