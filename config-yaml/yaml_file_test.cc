#include "config-yaml/yaml_file.h"

#include <gtest/gtest.h>

namespace ws {
namespace {

TEST(ParseSizeTest, AcceptsUnits) {
  EXPECT_EQ(ParseSize("1024"), 1024u);
  EXPECT_EQ(ParseSize("64MiB"), 64u * 1024 * 1024);
  EXPECT_EQ(ParseSize("400KiB"), 400u * 1024);
  EXPECT_EQ(ParseSize("1.5MB"), 1500000u);
  EXPECT_EQ(ParseSize("12 B"), 12u);
}

TEST(ParseSizeTest, RejectsNonSizes) {
  EXPECT_FALSE(ParseSize(""));
  EXPECT_FALSE(ParseSize("big"));
  EXPECT_FALSE(ParseSize("10 parsecs"));
  EXPECT_FALSE(ParseSize("-5"));
  EXPECT_FALSE(ParseSize("1.5"));
}

TEST(YamlFileTest, SyntaxErrorHasLineAndColumn) {
  DiagnosticSink sink;
  auto file = YamlFile::Parse("m.yaml", "app: {name: x\nsources: [a\n", sink);
  EXPECT_FALSE(file);
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  const Diagnostic& d = sink.diagnostics()[0];
  EXPECT_EQ(d.span.file, "m.yaml");
  EXPECT_GT(d.span.line, 0u);
  EXPECT_NE(d.message.find("invalid YAML"), std::string::npos);
}

TEST(YamlFileTest, DeepNestingIsRefusedBeforeParsing) {
  DiagnosticSink sink;
  std::string deep = "sources: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  EXPECT_FALSE(YamlFile::Parse("m.yaml", "app: x\n" + deep, sink));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  const Diagnostic& d = sink.diagnostics()[0];
  EXPECT_EQ(d.span.line, 2u);
  EXPECT_EQ(d.span.column, 10u + kMaxYamlDepth);
  EXPECT_NE(d.message.find("nest more than 100 levels"), std::string::npos) << d.message;
}

TEST(YamlFileTest, BracketsInStringsAndCommentsDoNotCount) {
  DiagnosticSink sink;
  std::string brackets(150, '[');
  auto file = YamlFile::Parse("m.yaml", "a: '" + brackets + "'\nb: \"" + brackets + "\" # " + brackets +
                                            "\nc: [it's, [y]]\n", sink);
  ASSERT_TRUE(file) << (sink.diagnostics().empty() ? "" : sink.diagnostics()[0].message);
  EXPECT_EQ(file->root()["c"][1][0].Scalar(), "y");
}

TEST(YamlFileTest, DeepBlockNestingIsAnErrorNotACrash) {
  // "- - - ..." nests block sequences on one line; yaml-cpp's own depth guard stops it.
  DiagnosticSink sink;
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "- ";
  EXPECT_FALSE(YamlFile::Parse("m.yaml", deep + "x\n", sink));
  EXPECT_TRUE(sink.HasErrors());
}

TEST(YamlFileTest, NonRegularFileIsRefused) {
  DiagnosticSink sink;
  EXPECT_FALSE(YamlFile::Load("/dev/zero", sink));
  ASSERT_TRUE(sink.HasErrors());
  EXPECT_NE(sink.diagnostics()[0].message.find("/dev/zero: it is a character device"), std::string::npos)
      << sink.diagnostics()[0].message;
}

TEST(YamlFileTest, MissingFileIsReported) {
  DiagnosticSink sink;
  EXPECT_FALSE(YamlFile::Load("/nonexistent/wasmship.yaml", sink));
  EXPECT_TRUE(sink.HasErrors());
}

TEST(YamlReaderTest, UnknownKeySuggestsNearest) {
  DiagnosticSink sink;
  auto file = YamlFile::Parse("m.yaml", "app: x\nsorces: [a]\n", sink);
  ASSERT_TRUE(file);
  YamlReader reader(*file, sink);
  EXPECT_FALSE(reader.CheckKeys(file->root(), "wasmship.yaml", {"app", "sources"}));
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  const Diagnostic& d = sink.diagnostics()[0];
  EXPECT_EQ(d.message, "unknown key 'sorces' in wasmship.yaml; did you mean 'sources'?");
  EXPECT_EQ(d.span.line, 2u);
  EXPECT_EQ(d.span.column, 1u);
  EXPECT_EQ(d.span.length, 6u);
}

TEST(YamlReaderTest, DuplicateKeyIsAnError) {
  DiagnosticSink sink;
  auto file = YamlFile::Parse("m.yaml", "app: x\napp: y\n", sink);
  ASSERT_TRUE(file);
  YamlReader reader(*file, sink);
  EXPECT_FALSE(reader.CheckKeys(file->root(), "wasmship.yaml", {"app"}));
  EXPECT_NE(sink.diagnostics().at(0).message.find("duplicate key 'app'"), std::string::npos);
}

TEST(YamlReaderTest, TypedValues) {
  DiagnosticSink sink;
  auto file = YamlFile::Parse("m.yaml", "a: true\nb: 7\nc: 64MiB\nd: [x, y]\ne: z\nf: nope\ng: 12x\n",
                              sink);
  ASSERT_TRUE(file);
  YamlReader r(*file, sink);
  const YAML::Node& root = file->root();
  EXPECT_EQ(r.Bool(root["a"], "a"), true);
  EXPECT_EQ(r.Int(root["b"], "b", 0, 10), 7);
  EXPECT_EQ(r.Size(root["c"], "c"), 64u << 20);
  EXPECT_EQ(r.StringList(root["d"], "d"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(r.StringList(root["e"], "e"), (std::vector<std::string>{"z"}));
  EXPECT_FALSE(sink.HasErrors());
  EXPECT_FALSE(r.Bool(root["f"], "f"));
  EXPECT_FALSE(r.Int(root["g"], "g", 0, 10));
  EXPECT_FALSE(r.Int(root["b"], "b", 0, 5));
  EXPECT_FALSE(r.Size(root["f"], "f"));
  EXPECT_EQ(sink.ErrorCount(), 4u);
  EXPECT_EQ(sink.diagnostics()[0].span.line, 6u);
}

TEST(YamlReaderTest, ChoiceSuggests) {
  DiagnosticSink sink;
  auto file = YamlFile::Parse("m.yaml", "opt: Ox\n", sink);
  ASSERT_TRUE(file);
  YamlReader r(*file, sink);
  EXPECT_FALSE(r.Choice(file->root()["opt"], "opt level", {"O0", "O1", "Oz"}));
  EXPECT_NE(sink.diagnostics().at(0).message.find("did you mean"), std::string::npos);
}

}  // namespace
}  // namespace ws
