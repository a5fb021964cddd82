// Apps that use libc themselves. The runtime links no printf of its own (its
// abort paths log unformatted, docs/runtime.md "Memory and libc"); an app
// that formats with snprintf/printf still gets the full printf, floats included.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

constexpr const char* kManifest = R"(app: { name: formats, version: 0.1.0 }
sources: [src/*.cpp]
devices: devices.yaml
)";

constexpr const char* kDevices = R"(devices:
  tv: { simd: false, threads: false, cores: 4, memory: 128MiB, engine: interp, host_abi: 1 }
)";

// An app showing TEXT_EXPRESSION in a headline, and printing what Facts() formats.
std::string AppSource(const std::string& text_expression) {
  return R"(#include <cstdio>
#include <string>
#include <wasmship/ui.hpp>

std::string Facts() {
  char text[32];
  std::snprintf(text, sizeof text, "%d %.2f", 42, 3.14159);
  return text;
}

UI_COMPOSABLE ws::View Main() {
  std::printf("facts: %s\n", Facts().c_str());
  return compose(R"ui(
    Stack(width: 100%, height: 100%, align: Center, justify: Center) {
      Text(text: {)" + text_expression + R"(}, style: Headline)
    }
  )ui");
}

UI_APP(Main)
)";
}

// Builds and runs the release build with the app showing text_expression;
// returns the screenshot's bytes.
std::string ReleaseScreenshot(ProjectSandbox& project, const std::string& text_expression, std::string* output) {
  project.Write("src/main.cpp", AppSource(text_expression));
  RunResult run = project.Wasmship({"run", "-p", "release", "--screenshot", "shot.png"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (output != nullptr) *output = run.out + run.err;
  return project.Read("shot.png");
}

TEST(LibcTest, AppCallingSnprintfWithFloatsBuildsPrintsAndShowsTheText) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kManifest);
  project.Write("devices.yaml", kDevices);
  project.AddSigningKey();
  std::string output;
  std::string formatted = ReleaseScreenshot(project, "Facts()", &output);
  ExpectContains(output, "facts: 42 3.14\n");
  // The formatted text draws exactly as the same text written out does, and
  // differently from other text (so the comparison sees the text at all).
  EXPECT_EQ(formatted, ReleaseScreenshot(project, "std::string(\"42 3.14\")", nullptr));
  EXPECT_NE(formatted, ReleaseScreenshot(project, "std::string(\"42 3.15\")", nullptr));
}

// Apps compile with -fno-rtti (the typeinfo of their classes kept libc++abi's
// dynamic_cast code in every module); an app that needs RTTI is told how.
TEST(LibcTest, DynamicCastAsksForRttiAndBuildsWithIt) {
  ProjectSandbox project;
  project.Write("wasmship.yaml", kManifest);
  project.Write("devices.yaml", kDevices);
  project.Write("src/main.cpp", R"(#include <wasmship/ui.hpp>
struct Shape { virtual ~Shape() = default; };
struct Circle : Shape {};
bool IsCircle(const Shape* shape) { return dynamic_cast<const Circle*>(shape) != nullptr; }
UI_COMPOSABLE ws::View Main() {
  Circle circle;
  return compose(R"ui(Text(text: {IsCircle(&circle) ? "circle" : "other"}))ui");
}
UI_APP(Main)
)");
  RunResult refused = project.Wasmship({"build"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  ExpectContains(refused.err, "src/main.cpp uses typeid or dynamic_cast, and wasmship compiles apps with -fno-rtti");
  ExpectContains(refused.err, "add `cflags: [-frtti]` to the profile");
  project.Write("wasmship.yaml", std::string(kManifest) + "profiles:\n  debug: { cflags: [-frtti] }\n");
  RunResult built = project.Wasmship({"build"});
  EXPECT_EQ(built.exit_code, 0) << built.err;
}

}  // namespace
}  // namespace ws::e2e
