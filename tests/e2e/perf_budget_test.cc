// Startup figures and performance budgets as users and CI meet them: `run
// --format json` reports the start phase by phase; `build -p release` runs
// the manifest's perf_script and fails (exit 3) when a handler got slower,
// naming the budget, the device and the figure; an unchanged catalog passes;
// a perf script that traps stops the build (exit 4) at its step's line.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

using nlohmann::json;

TEST(PerfBudgetTest, RunReportsStartupPhaseByPhase) {
  ProjectSandbox project;
  project.CopyExample("catalog");
  RunResult run = project.Wasmship({"run", "--engine", "interp", "--keys", "right", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json startup = json::parse(run.out)["startup"];
  double instantiate = startup["instantiate_ms"], init = startup["init_ms"], first = startup["first_frame_ms"];
  double total = startup["total_ms"];
  EXPECT_GT(instantiate, 0);
  EXPECT_GT(init, 0);
  EXPECT_GT(first, 0);
  // Each figure is rounded to 0.001 ms.
  EXPECT_NEAR(total, instantiate + init + first, 0.003) << startup.dump();
  uint64_t instructions = startup["instructions"];
  uint64_t init_instructions = startup["init_instructions"], first_instructions = startup["first_frame_instructions"];
  EXPECT_GT(init_instructions, 0u);
  EXPECT_GT(first_instructions, 0u);
  EXPECT_EQ(instructions, startup["instantiate_instructions"].get<uint64_t>() + init_instructions + first_instructions);
  EXPECT_GE(startup["first_frame_calls"].get<int>(), 1);

  RunResult text = project.Wasmship({"run", "--engine", "interp"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  ExpectContains(text.err, "startup ");
  ExpectContains(text.err, "(instantiate ");
  ExpectContains(text.err, "startup instructions ");
}

// One signed catalog on tv-2019 (one interp variant) whose budgets are the
// example's own (examples/catalog/wasmship.yaml).
class CatalogPerf : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.CopyExample("catalog");
    project_.AddSigningKey();
  }
  RunResult Release() { return project_.Wasmship({"build", "-p", "release", "--device", "tv-2019"}); }
  ProjectSandbox project_;
};

TEST_F(CatalogPerf, AnUnchangedBuildPassesAndASlowedHandlerFails) {
  RunResult good = Release();
  ASSERT_EQ(good.exit_code, 0) << good.err;
  json report = json::parse(project_.Read("dist/report.json"));
  json interp = report["variants"][0]["perf"]["runs"]["interp"];
  EXPECT_GT(interp["startup_instructions"].get<uint64_t>(), 0u);
  EXPECT_GT(interp["input_instructions_p99"].get<uint64_t>(), 0u);
  size_t perf_checks = 0;
  for (const json& r : report["budgets"]["results"]) {
    if (r["rule"].get<std::string>().find("instructions") == std::string::npos) continue;
    ++perf_checks;
    EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  }
  EXPECT_EQ(perf_checks, 3u);
  ExpectContains(project_.Read("dist/report.md"), "performance (interp, perf.yaml)");
  json good_report = report;

  // The fixture: focusing a tile now burns a few million instructions.
  std::string page = project_.Read("src/collections_page.cpp");
  std::string remember = "void Remember(int shelf, int index) {\n";
  ASSERT_NE(page.find(remember), std::string::npos);
  page.replace(page.find(remember), remember.size(),
               remember + "  for (volatile int spin = 0; spin < 1000000; spin = spin + 1) {\n  }\n");
  project_.Write("src/collections_page.cpp", page);
  RunResult slow = Release();
  EXPECT_EQ(slow.exit_code, 3) << slow.err;
  ExpectContains(slow.err, "budget exceeded: tv-2019 (base-128m-release): input_instructions_p99 is ");
  ExpectContains(slow.err, " instructions (interp), over its limit of ");
  json failed = json::parse(project_.Read("dist/report.json"));
  EXPECT_GT(failed["variants"][0]["perf"]["runs"]["interp"]["input_instructions_p99"].get<uint64_t>(),
            interp["input_instructions_p99"].get<uint64_t>() + 1000000);
  RunResult check = project_.Wasmship({"budget", "check"});
  EXPECT_EQ(check.exit_code, 3) << check.err;
  ExpectContains(check.err, "input_instructions_p99 is ");

  // report diff shows the figures beside the sizes.
  project_.Write("good.json", good_report.dump());
  RunResult diff = project_.Wasmship({"report", "diff", "good.json", "dist/report.json"});
  ExpectContains(diff.out, "interp input_instructions_p99");
  ExpectContains(diff.out, "interp startup_us");
}

TEST(PerfBudgetTest, APerfScriptThatTrapsStopsTheBuildAtItsStep) {
  ProjectSandbox project;
  std::filesystem::copy(SourcePath("tests/e2e/apps/misbehaving"), project.dir(),
                        std::filesystem::copy_options::recursive);
  project.AddSigningKey();
  // Select on the first box traps.
  project.Write("perf.yaml", "# the walk\n- key: right\n- key: left\n- key: select\n");
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") +
                                     "perf_script: perf.yaml\nbudgets:\n  default: { startup_instructions: 900000000 }\n");
  RunResult build = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(build.exit_code, 4) << build.err;
  ExpectContains(build.err, "perf.yaml:4:");
  // The select is handled in the next frame; the release module is stripped (no names in the stack).
  ExpectContains(build.err, "error: the app trapped running the perf script on base-8m-release (interp) in ws_frame");
  ExpectContains(build.err, "unreachable");
  // Nothing of the failed release was written.
  EXPECT_FALSE(project.Exists("dist/report.json"));
}

}  // namespace
}  // namespace ws::e2e
