// Every bad input of the foundation issue: the documented exit code, a
// message that says where and what to do, and no damage to earlier output.
#include <gtest/gtest.h>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

constexpr const char* kHelloManifest = "app: { name: hello, version: 0.1.0 }\nsources: [src/*.cpp]\n";

TEST(BadInputTest, NoManifestSaysHowToCreateOne) {
  ProjectSandbox project;
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "no wasmship.yaml in");
  ExpectContains(r.err, "wasmship new DIR");
}

TEST(BadInputTest, YamlSyntaxErrorHasLineAndColumn) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: hello, version: 0.1.0\nsources: [src/*.cpp]\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "wasmship.yaml:2:");
  ExpectContains(r.err, "error: invalid YAML");
}

TEST(BadInputTest, UnknownKeySuggestsTheNearest) {
  ProjectSandbox project;
  project.Write("src/main.cpp", MinimalAppSource());
  project.Write("wasmship.yaml", "app: { name: hello, version: 0.1.0 }\nsources: [src/*.cpp]\nincldue: [src]\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "wasmship.yaml:3:1: error: unknown key 'incldue' in wasmship.yaml; did you mean 'include'?");
  ExpectContains(r.err, "    3 | incldue: [src]");
}

TEST(BadInputTest, MissingSources) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", "app: { name: hello, version: 0.1.0 }\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "missing required key 'sources'");
}

TEST(BadInputTest, GlobMatchingNothing) {
  ProjectSandbox project;
  project.Write("src/main.cpp", MinimalAppSource());
  project.Write("wasmship.yaml", "app: { name: hello, version: 0.1.0 }\nsources: [src/*.cpp, lib/*.cpp]\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "wasmship.yaml:2:22: error: 'lib/*.cpp' matches no files");
}

TEST(BadInputTest, CompileErrorShowsClangDiagnosticAndKeepsOldModule) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kHelloManifest);
  project.Write("src/main.cpp", MinimalAppSource());
  ASSERT_EQ(project.Wasmship({"build"}).exit_code, 0);
  std::string before = project.Read("dist/debug/hello-debug.wasm");
  project.Write("src/main.cpp", "int main() {\n  return nope;\n}\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectContains(r.err, "src/main.cpp:2:10: error: use of undeclared identifier 'nope'");
  ExpectContains(r.err, "the previous output is unchanged");
  EXPECT_EQ(project.Read("dist/debug/hello-debug.wasm"), before);
}

TEST(BadInputTest, EveryBrokenFileIsReported) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kHelloManifest);
  project.Write("src/a.cpp", "int a() { return undefined_a; }\n");
  project.Write("src/b.cpp", "int b() { return undefined_b; }\n");
  RunResult r = project.Wasmship({"build", "-j", "1"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectContains(r.err, "src/a.cpp:1:18: error");
  ExpectContains(r.err, "src/b.cpp:1:18: error");
}

TEST(BadInputTest, LinkErrorNamesSymbolAndObject) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kHelloManifest);
  project.Write("src/main.cpp", MinimalAppSource());
  project.Write("src/use.cpp",
                "#include <wasmship/ui.hpp>\nint Missing(int);\n"
                "struct Use { Use() { ws::log(std::to_string(Missing(1))); } } use;\n");
  RunResult r = project.Wasmship({"build"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectContains(r.err, "undefined symbol: Missing(int)");
  ExpectContains(r.err, "src/use.cpp.o");
  EXPECT_FALSE(project.Exists("dist/debug/hello-debug.wasm"));
}

TEST(BadInputTest, ClangMissingNamesThePackage) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kHelloManifest);
  project.Write("src/main.cpp", MinimalAppSource());
  RunResult on_path = project.Wasmship({"build"}, {"PATH=/nonexistent"});
  EXPECT_EQ(on_path.exit_code, 2);
  ExpectContains(on_path.err, "clang++-19 is missing (clang++-19 not found on PATH)");
  ExpectContains(on_path.err, "sudo apt-get install clang-19");
  RunResult overridden = project.Wasmship({"build"}, {"WASMSHIP_CLANG=/opt/none/clang++"});
  EXPECT_EQ(overridden.exit_code, 2);
  ExpectContains(overridden.err, "WASMSHIP_CLANG=/opt/none/clang++ is not an executable");
}

TEST(BadInputTest, UnknownFlagAndCommandPrintUsage) {
  ProjectSandbox project;
  RunResult flag = project.Wasmship({"build", "--frobnicate"});
  EXPECT_EQ(flag.exit_code, 2);
  ExpectContains(flag.err, "--frobnicate");
  ExpectContains(flag.err, "wasmship --help");
  RunResult command = project.Wasmship({"frobnicate"});
  EXPECT_EQ(command.exit_code, 2);
  ExpectContains(command.err, "frobnicate");
  RunResult none = project.Wasmship({});
  EXPECT_EQ(none.exit_code, 2);
  ExpectContains(none.err, "Usage:");
}

TEST(BadInputTest, UnknownProfile) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kHelloManifest);
  project.Write("src/main.cpp", MinimalAppSource());
  RunResult r = project.Wasmship({"build", "-p", "relase"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectContains(r.err, "unknown profile 'relase'; did you mean 'release'?");
}

}  // namespace
}  // namespace ws::e2e
