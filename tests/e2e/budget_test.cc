// Budgets and reports as CI uses them: the gate lists every violation
// (exit 3), --no-budget skips it, `budget check` re-checks a finished build,
// growth is measured against --baseline, and `report diff` gives a verdict.
// Also `wasmship size` on our modules, bundles and a foreign module.
#include <algorithm>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/project_sandbox.h"

namespace ws::e2e {
namespace {

using nlohmann::json;

void SignedHello(ProjectSandbox& project, const std::string& budgets) {
  project.CopyExample("hello");
  project.AddSigningKey();
  project.Write("wasmship.yaml", project.Read("wasmship.yaml") + budgets);
}

TEST(BudgetTest, TheGateListsEveryViolationAndStillWritesTheReports) {
  ProjectSandbox project;
  SignedHello(project,
              "budgets:\n"
              "  default: { bundle: 1KiB, wasm: 2MiB, components: { runtime: 1KiB } }\n"
              "  tv-2020: { wasm: 10KiB }\n");
  RunResult build = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(build.exit_code, 3) << build.err;
  // Both are over on bundle and runtime; tv-2020's own wasm limit replaces
  // the default one, rule by rule, so only tv-2020 is over on wasm.
  ExpectContains(build.err, "tv-2019 (base-128m-release): bundle is");
  ExpectContains(build.err, "over its limit of 1 KiB");
  ExpectContains(build.err, "tv-2019 (base-128m-release): component runtime is");
  ExpectContains(build.err, "tv-2020 (base-128m-size-release): bundle is");
  ExpectContains(build.err, "tv-2020 (base-128m-size-release): wasm is ");
  ExpectContains(build.err, "over its limit of 10 KiB");
  EXPECT_EQ(build.err.find("tv-2019 (base-128m-release): wasm"), std::string::npos) << build.err;
  std::string junit = project.Read("dist/report.junit.xml");
  ExpectContains(junit, "<testsuite name=\"wasmship budgets\"");
  ExpectContains(junit, "failures=\"5\"");
  json report = json::parse(project.Read("dist/report.json"));
  EXPECT_TRUE(report["budgets"]["checked"].get<bool>());
  EXPECT_TRUE(project.Exists("dist/bundles/hello-0.1.0-base-128m-release.wsb"));

  RunResult check = project.Wasmship({"budget", "check"});
  EXPECT_EQ(check.exit_code, 3);
  ExpectContains(check.err, "tv-2020 (base-128m-size-release): wasm is");
  RunResult skipped = project.Wasmship({"build", "-p", "release", "--no-budget"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_FALSE(json::parse(project.Read("dist/report.json"))["budgets"]["checked"].get<bool>());
}

// optimize: auto gives the interp TV the speed pipeline while it fits the
// device's budgets; over one, the size pipeline runs on the same input, and
// the optimizer's record says what the speed module measured and why.
TEST(BudgetTest, AutoSpeedGivesWayToSizeOverTheBudget) {
  ProjectSandbox project;
  SignedHello(project, "budgets:\n  tv-2019: { bundle: 1KiB }\n");
  RunResult over = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  EXPECT_EQ(over.exit_code, 3) << over.err;  // the size module does not fit 1 KiB either
  json variant = json::parse(project.Read("dist/report.json"))["variants"][0];
  EXPECT_EQ(variant["name"], "base-128m-release");
  EXPECT_EQ(variant["pipeline"], "size");
  EXPECT_FALSE(variant["speed_budget"]["fits"].get<bool>());
  EXPECT_EQ(variant["speed_budget"]["max_bundle"], 1024);
  ExpectContains(variant["speed_budget"]["why_size"].get<std::string>(), "would exceed the bundle budget of 1024");
  // The speed module was larger than the size one that shipped.
  EXPECT_GT(variant["speed_budget"]["wasm_bytes"].get<uint64_t>(), variant["module"]["bytes"].get<uint64_t>());

  std::string manifest = project.Read("wasmship.yaml");
  manifest.replace(manifest.find("  tv-2019: { bundle: 1KiB }"), 27, "  default: { wasm: 64MiB, bundle: 64MiB }");
  project.Write("wasmship.yaml", manifest);
  RunResult fits = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(fits.exit_code, 0) << fits.err;
  variant = json::parse(project.Read("dist/report.json"))["variants"][0];
  EXPECT_EQ(variant["pipeline"], "speed");
  EXPECT_TRUE(variant["speed_budget"]["fits"].get<bool>());
  EXPECT_EQ(variant["speed_budget"]["wasm_bytes"], variant["module"]["bytes"]);
  // The estimate covers the real bundle, by less than its 1 KiB allowance.
  uint64_t estimate = variant["speed_budget"]["bundle_estimate"], bundle = variant["bundle"]["bytes"];
  EXPECT_GE(estimate, bundle);
  EXPECT_LT(estimate - bundle, 1024u);
}

// The CI flow: a release build is the baseline; a change that grows the
// bundle fails the growth budget on the next build and `report diff` says so.
TEST(BudgetTest, GrowthAgainstTheBaselineFailsAndReportDiffSaysWhy) {
  ProjectSandbox project;
  SignedHello(project, "budgets:\n  default: { growth: 1% }\n");
  RunResult first = project.Wasmship({"build", "-p", "release"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  project.Write("base.json", project.Read("dist/report.json"));
  RunResult same = project.Wasmship({"build", "-p", "release", "--baseline", "base.json"});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  // More code: a table the greeting now reads from.
  std::string table = "static const char* const kWords[] = {";
  for (int i = 0; i < 400; ++i) table += "\"word number " + std::to_string(i * 7919) + "\",";
  project.Write("src/greeting.cpp", "#include \"greeting.h\"\n" + table + "};\n"
                "std::string Greeting(const std::string& who) {\n"
                "  std::string s = \"Hello, \" + who + \"!\";\n"
                "  for (const char* w : kWords) if (s.size() == 1000) s += w;\n"
                "  return s;\n}\n");
  RunResult grown = project.Wasmship({"build", "-p", "release", "--baseline", "base.json"});
  EXPECT_EQ(grown.exit_code, 3) << grown.err;
  ExpectContains(grown.err, "growth is +");
  ExpectContains(grown.err, "over its limit of 1%");
  RunResult diff = project.Wasmship({"report", "diff", "base.json", "dist/report.json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  ExpectContains(diff.out, "base-128m-release");
  ExpectContains(diff.out, "verdict: regression");
  RunResult back = project.Wasmship({"report", "diff", "base.json", "base.json", "--format", "text"});
  ExpectContains(back.out, "verdict: no regressions");
  RunResult check = project.Wasmship({"budget", "check", "--baseline", "base.json"});
  EXPECT_EQ(check.exit_code, 3);
}

// frame_traps limits how many trap sites on the frame path may be added
// against the baseline. The app cannot add one by itself (it is reached from
// ws_frame only through indirect calls), so the baseline stands for a build
// that had one site fewer: its ws_frame entry is taken out.
TEST(BudgetTest, NewTrapSitesOnTheFramePathFailTheGate) {
  ProjectSandbox project;
  SignedHello(project, "budgets:\n  default: { frame_traps: 0 }\n");
  RunResult first = project.Wasmship({"build", "-p", "release", "--device", "tv-2019"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json report = json::parse(project.Read("dist/report.json"));
  EXPECT_EQ(report["budgets"]["results"][0]["actual"], "skipped: no baseline") << report["budgets"];
  json& traps = report["variants"][0]["traps"];
  auto frame = std::find_if(traps.begin(), traps.end(), [](const json& t) {
    return t["function"] == "ws_frame" && t["on_frame_path"].get<bool>();
  });
  ASSERT_NE(frame, traps.end()) << traps;
  uint64_t sites = (*frame)["unreachable"].get<uint64_t>() + (*frame)["abort_calls"].get<uint64_t>();
  project.Write("same.json", report.dump());
  traps.erase(frame);
  project.Write("fewer.json", report.dump());

  RunResult same = project.Wasmship({"build", "-p", "release", "--device", "tv-2019", "--baseline", "same.json"});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  RunResult grown =
      project.Wasmship({"build", "-p", "release", "--device", "tv-2019", "--baseline", "fewer.json"});
  EXPECT_EQ(grown.exit_code, 3) << grown.err;
  ExpectContains(grown.err, "tv-2019 (base-128m-release): frame traps is +" + std::to_string(sites));
  ExpectContains(grown.err, "over its limit of +0");
}

TEST(BudgetTest, BadBudgetsAreConfigurationErrors) {
  ProjectSandbox project;
  SignedHello(project, "budgets:\n  default: { bundle: big }\n  tv-2091: { wasm: 1MiB }\n"
                       "  tv-2019: { components: { runtim: 1KiB } }\n");
  RunResult build = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(build.exit_code, 2);
  ExpectContains(build.err, "budgets.default.bundle is not a size: 'big'");
  ExpectContains(build.err, "unknown component 'runtim'");
  EXPECT_FALSE(project.Exists("dist"));
}

TEST(BudgetTest, BudgetsNameOnlyKnownDevices) {
  ProjectSandbox project;
  SignedHello(project, "budgets:\n  tv-2091: { wasm: 1MiB }\n");
  RunResult build = project.Wasmship({"build", "-p", "release"});
  EXPECT_EQ(build.exit_code, 2);
  ExpectContains(build.err, "budgets.tv-2091 names no device; did you mean 'tv-2019'?");
}

TEST(SizeTest, ModulesBundlesDiffsAndForeignModules) {
  ProjectSandbox project;
  project.CopyExample("hello");
  RunResult build = project.Wasmship({"build"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  RunResult module = project.Wasmship({"size", "dist/debug/hello-base-128m-debug.wasm", "--top", "5"});
  ASSERT_EQ(module.exit_code, 0) << module.err;
  ExpectContains(module.out, "code");
  ExpectContains(module.out, "runtime");
  RunResult bundle = project.Wasmship({"size", "dist/debug/bundles/hello-0.1.0-base-128m-debug.wsb", "--format", "json"});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  json sizes = json::parse(bundle.out);
  ASSERT_TRUE(sizes.is_object()) << bundle.out;
  // A foreign module: no names, not ours.
  project.Write("foreign.wat", "(module (func $f (export \"f\") (result i32) i32.const 1)"
                               " (func $g (export \"g\") (result i32) i32.const 2 i32.const 3 i32.add))");
  ASSERT_EQ(RunCommand({"wat2wasm", "--debug-names", "foreign.wat", "-o", "foreign.wasm"}, project.dir()).exit_code, 0);
  project.Write("smaller.wat", "(module (func $f (export \"f\") (result i32) i32.const 1))");
  ASSERT_EQ(RunCommand({"wat2wasm", "--debug-names", "smaller.wat", "-o", "smaller.wasm"}, project.dir()).exit_code, 0);
  RunResult foreign = project.Wasmship({"size", "foreign.wasm"});
  ASSERT_EQ(foreign.exit_code, 0) << foreign.err;
  ExpectContains(foreign.out, "g");
  RunResult diff = project.Wasmship({"size", "foreign.wasm", "--diff", "smaller.wasm"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  ExpectContains(diff.out, "new");
  RunResult garbage = project.Wasmship({"size", "foreign.wat"});
  EXPECT_EQ(garbage.exit_code, 2);
}

}  // namespace
}  // namespace ws::e2e
