// A devices.yaml of 10,000 devices (issue 15, item 6): the build makes only
// the distinct variants, and index.json lists every device.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

TEST(MatrixScaleE2eTest, TenThousandDevicesBuildTwoVariants) {
  ProjectSandbox project;
  project.CopyExample("hello");
  // bench/gen-devices 10000 2: two kinds (64 and 128 MiB), both engines.
  RunResult generated = RunCommand({SourcePath("bench/gen-devices"), "10000", "2"}, project.dir());
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  project.Write("devices.yaml", generated.out);

  RunResult build = project.Wasmship({"build", "--all-devices"});
  ASSERT_EQ(build.exit_code, 0) << build.err.substr(0, 4000);
  nlohmann::json report = nlohmann::json::parse(project.Read("dist/debug/report.json"));
  ASSERT_EQ(report["variants"].size(), 2u);
  EXPECT_EQ(report["variants"][0]["name"], "base-64m-debug");
  EXPECT_EQ(report["variants"][0]["devices"].size(), 5000u);
  EXPECT_EQ(project.FilesIn("dist/debug/bundles", ".wsb").size(), 2u);
  nlohmann::json index = nlohmann::json::parse(project.Read("dist/debug/index.json"));
  ASSERT_EQ(index["devices"].size(), 10000u);
  EXPECT_EQ(index["devices"]["dev-9999"]["variant"], "base-128m-debug");
  EXPECT_EQ(index["devices"]["dev-0"]["bundle"], "bundles/hello-0.1.0-base-64m-debug.wsb");
}

}  // namespace
}  // namespace ws::e2e
