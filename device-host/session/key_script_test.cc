#include "device-host/session/key_script.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "diagnostics/diagnostic_printer.h"

namespace ws::host {
namespace {

std::string Messages(const DiagnosticSink& sink) {
  std::string all;
  for (const Diagnostic& d : sink.diagnostics()) all += FormatDiagnostic(d);
  return all;
}

TEST(KeyScriptTest, KeyList) {
  DiagnosticSink sink;
  auto steps = ParseKeyList("right,right,select,back,a", sink);
  ASSERT_TRUE(steps);
  ASSERT_EQ(steps->size(), 5u);
  EXPECT_EQ((*steps)[0].key, 4);
  EXPECT_EQ((*steps)[2].key, 5);
  EXPECT_EQ((*steps)[3].key, 6);
  EXPECT_EQ((*steps)[4].key, 'a');
  EXPECT_FALSE(ParseKeyList("right,rigth", sink));
  EXPECT_NE(Messages(sink).find("key 2 'rigth' is not a key; did you mean 'right'?"), std::string::npos);
}

TEST(KeyScriptTest, YamlScript) {
  std::string path = (std::filesystem::path(::testing::TempDir()) / ("ws_keys_" + std::to_string(::getpid()) + ".yaml")).string();
  std::ofstream(path) << "- key: right\n- wait: 200ms\n- wait: 1.5s\n- screenshot: a.png\n";
  DiagnosticSink sink;
  auto steps = LoadKeyScript(path, sink);
  ASSERT_TRUE(steps) << Messages(sink);
  ASSERT_EQ(steps->size(), 4u);
  EXPECT_EQ((*steps)[1].wait_ms, 200);
  EXPECT_EQ((*steps)[2].wait_ms, 1500);
  EXPECT_EQ((*steps)[3].path, "a.png");
}

TEST(KeyScriptTest, MalformedScriptsReportLineAndColumn) {
  std::string path = (std::filesystem::path(::testing::TempDir()) / ("ws_bad_keys_" + std::to_string(::getpid()) + ".yaml")).string();
  std::ofstream(path) << "- key: right\n- key: lefft\n- wiat: 100ms\n- wait: soon\n";
  DiagnosticSink sink;
  EXPECT_FALSE(LoadKeyScript(path, sink));
  std::string text = Messages(sink);
  EXPECT_NE(text.find(":2:8: error: unknown key 'lefft'; did you mean 'left'?"), std::string::npos) << text;
  EXPECT_NE(text.find(":3:3: error: unknown key 'wiat' in a script step; did you mean 'wait'?"), std::string::npos)
      << text;
  EXPECT_NE(text.find(":4:9: error: wait needs a duration"), std::string::npos) << text;
  std::ofstream(path) << "- key: [unclosed\n";
  DiagnosticSink syntax;
  EXPECT_FALSE(LoadKeyScript(path, syntax));
  EXPECT_NE(Messages(syntax).find("invalid YAML"), std::string::npos);
}

}  // namespace
}  // namespace ws::host
