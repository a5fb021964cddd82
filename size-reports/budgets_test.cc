#include <gtest/gtest.h>

#include "size-reports/size_reports.h"
#include "size-reports/test_support.h"

namespace ws::size {
namespace {

using testing::Count;

// Two variants: base-128m-release (tv-2019, tv-2020; bundle 49,811 bytes,
// module 120,548) and base-64m-release (stick-lite; bundle 45,200).
Json Report() { return testing::LoadReport("report.json"); }
Json Baseline() { return testing::LoadReport("report_base.json"); }

Limit Bytes(uint64_t n) { return Limit{n, std::nullopt}; }
Limit Percent(double p) { return Limit{0, p}; }

// With libxml2's xmllint when it is installed.
void ExpectWellFormed(const std::string& xml) {
  if (!testing::HaveTool("xmllint")) return;
  std::string path = testing::FreshDir("junit") + "/report.junit.xml";
  testing::WriteText(path, xml);
  EXPECT_EQ(testing::Run("xmllint --noout " + path), 0) << xml;
}

const BudgetResult* Find(const std::vector<BudgetResult>& results, const std::string& device,
                         const std::string& rule) {
  for (const BudgetResult& r : results) {
    if (r.device == device && r.rule == rule) return &r;
  }
  return nullptr;
}

TEST(BudgetsTest, BundleRulePassesAndFails) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].bundle = Bytes(400 * 1024);
  std::vector<BudgetResult> ok = CheckBudgets(budgets, Report(), nullptr);
  ASSERT_EQ(ok.size(), 3u);  // one per device
  for (const BudgetResult& r : ok) EXPECT_TRUE(r.ok) << r.device;
  EXPECT_EQ(ok[0].device, "tv-2019");
  EXPECT_EQ(ok[0].variant, "base-128m-release");
  EXPECT_EQ(ok[0].rule, "bundle");
  EXPECT_EQ(ok[0].limit, "400 KiB");
  EXPECT_EQ(ok[0].actual, "48.6 KiB");

  budgets["default"].bundle = Bytes(45 * 1024);  // 46,080: 49,811 is over, 45,200 under
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), nullptr);
  EXPECT_FALSE(Find(r, "tv-2019", "bundle")->ok);
  EXPECT_FALSE(Find(r, "tv-2020", "bundle")->ok);
  EXPECT_TRUE(Find(r, "stick-lite", "bundle")->ok);
  EXPECT_EQ(Find(r, "stick-lite", "bundle")->actual, "44.1 KiB");
}

TEST(BudgetsTest, DeviceOverridesTheDefaultRuleByRule) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].bundle = Bytes(400 * 1024);
  budgets["default"].wasm = Bytes(1024 * 1024);
  budgets["stick-lite"].bundle = Bytes(40 * 1024);
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), nullptr);
  ASSERT_EQ(r.size(), 6u);
  EXPECT_TRUE(Find(r, "tv-2019", "bundle")->ok);
  EXPECT_EQ(Find(r, "stick-lite", "bundle")->limit, "40 KiB");
  EXPECT_FALSE(Find(r, "stick-lite", "bundle")->ok);
  // The device's own budget says nothing about wasm: the default's applies.
  EXPECT_EQ(Find(r, "stick-lite", "wasm")->limit, "1 MiB");
  EXPECT_TRUE(Find(r, "stick-lite", "wasm")->ok);
  // Without a default, only devices with their own budget are checked.
  budgets.erase("default");
  std::vector<BudgetResult> only = CheckBudgets(budgets, Report(), nullptr);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].device, "stick-lite");
  EXPECT_TRUE(CheckBudgets({}, Report(), nullptr).empty());
}

TEST(BudgetsTest, WasmAndComponentRules) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].wasm =
      Bytes(115 * 1024);  // 117,760: the 64m module (113,443) fits, the 128m one does not
  budgets["default"].components["libc++"] = Bytes(9 * 1024);
  budgets["default"].components["compiler-rt"] = Bytes(100);
  budgets["default"].components["nonexistent"] = Bytes(0);
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), nullptr);
  EXPECT_FALSE(Find(r, "tv-2019", "wasm")->ok);
  EXPECT_EQ(Find(r, "tv-2019", "wasm")->actual, "117.7 KiB");
  EXPECT_TRUE(Find(r, "stick-lite", "wasm")->ok);
  EXPECT_EQ(Find(r, "tv-2019", "component libc++")->actual, "9.1 KiB");  // 9,300 bytes
  EXPECT_FALSE(Find(r, "tv-2019", "component libc++")->ok);
  EXPECT_FALSE(Find(r, "tv-2019", "component compiler-rt")->ok);  // 163 bytes
  EXPECT_EQ(Find(r, "tv-2019", "component compiler-rt")->limit, "100 B");
  EXPECT_TRUE(Find(r, "tv-2019", "component nonexistent")->ok);
}

TEST(BudgetsTest, GrowthNeedsABaseline) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].growth = Percent(2);
  std::vector<BudgetResult> skipped = CheckBudgets(budgets, Report(), nullptr);
  ASSERT_EQ(skipped.size(), 3u);
  for (const BudgetResult& r : skipped) {
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.actual, "skipped: no baseline");
    EXPECT_EQ(r.limit, "2%");
  }
  Json baseline = Baseline();
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), &baseline);
  // 48,587 → 49,811: +1,224 bytes, +2.5%.
  EXPECT_FALSE(Find(r, "tv-2019", "growth")->ok);
  EXPECT_EQ(Find(r, "tv-2019", "growth")->actual, "+2.5% (+1.2 KiB)");
  EXPECT_TRUE(Find(r, "stick-lite", "growth")->ok);
  EXPECT_EQ(Find(r, "stick-lite", "growth")->actual, "0.0% (0 B)");

  budgets["default"].growth = Percent(3);
  EXPECT_TRUE(Find(CheckBudgets(budgets, Report(), &baseline), "tv-2019", "growth")->ok);
  budgets["default"].growth = Bytes(1024);  // bytes instead of percent
  EXPECT_FALSE(Find(CheckBudgets(budgets, Report(), &baseline), "tv-2019", "growth")->ok);
  EXPECT_EQ(Find(CheckBudgets(budgets, Report(), &baseline), "tv-2019", "growth")->limit, "1 KiB");
  budgets["default"].growth = Bytes(2048);
  EXPECT_TRUE(Find(CheckBudgets(budgets, Report(), &baseline), "tv-2019", "growth")->ok);
}

TEST(BudgetsTest, GrowthMatchesTheBaselineVariantByDeviceWhenNamesDiffer) {
  Json baseline = Baseline();
  baseline["variants"][0]["name"] = "base-128m-release-old";  // renamed; still serves tv-2019
  baseline["variants"][0].erase("bundle");                    // and only has a module
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].growth = Percent(1);
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), &baseline);
  // Modules compared: 118,548 → 120,548 (+2,000, +1.7%).
  EXPECT_EQ(Find(r, "tv-2019", "growth")->actual, "+1.7% (+2.0 KiB)");
  EXPECT_FALSE(Find(r, "tv-2019", "growth")->ok);
  baseline["variants"][0]["devices"] = Json::array({"somewhere-else"});
  r = CheckBudgets(budgets, Report(), &baseline);
  EXPECT_TRUE(Find(r, "tv-2019", "growth")->ok);
  EXPECT_TRUE(Find(r, "tv-2019", "growth")->actual.starts_with("skipped"));
}

TEST(BudgetsTest, FrameTrapGrowth) {
  Json baseline = Baseline();
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].frame_trap_growth = 0;
  // base-128m-release: frame-path traps 2 (baseline) → 3 (head).
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), &baseline);
  EXPECT_FALSE(Find(r, "tv-2019", "frame traps")->ok);
  EXPECT_EQ(Find(r, "tv-2019", "frame traps")->actual, "+1 (2 -> 3)");
  EXPECT_EQ(Find(r, "tv-2019", "frame traps")->limit, "+0");
  EXPECT_TRUE(Find(r, "stick-lite", "frame traps")->ok);
  budgets["default"].frame_trap_growth = 1;
  EXPECT_TRUE(Find(CheckBudgets(budgets, Report(), &baseline), "tv-2019", "frame traps")->ok);
  EXPECT_TRUE(Find(CheckBudgets(budgets, Report(), nullptr), "tv-2019", "frame traps")->ok);
}

TEST(BudgetsTest, EveryViolationIsListedAndNoBundleIsSkipped) {
  std::map<std::string, BudgetRules> budgets;
  BudgetRules& rules = budgets["default"];
  rules.bundle = Bytes(10);
  rules.wasm = Bytes(10);
  rules.growth = Percent(0);
  rules.components = {{"app", Bytes(10)}};
  rules.frame_trap_growth = 0;
  Json baseline = Baseline();
  std::vector<BudgetResult> r = CheckBudgets(budgets, Report(), &baseline);
  size_t failed = 0;
  for (const BudgetResult& x : r) failed += !x.ok;
  EXPECT_EQ(r.size(), 15u);           // 3 devices × 5 rules
  EXPECT_EQ(failed, 3u * 3 + 2 + 2);  // bundle, wasm, app everywhere; growth and traps on the TVs
  Json report = Report();
  report["variants"][1].erase("bundle");
  r = CheckBudgets(budgets, report, nullptr);
  EXPECT_TRUE(Find(r, "stick-lite", "bundle")->ok);
  EXPECT_EQ(Find(r, "stick-lite", "bundle")->actual, "skipped: no bundle");
  // Garbage instead of a report: no results, no crash.
  EXPECT_TRUE(CheckBudgets(budgets, Json("nonsense"), nullptr).empty());
  EXPECT_TRUE(
      CheckBudgets(budgets, Json::parse(R"({"variants": [1, {"devices": [2, "x"]}]})"), &baseline).size() ==
      5);
}

TEST(BudgetsTest, ToJsonAndJUnit) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].bundle = Bytes(400 * 1024);
  budgets["default"].growth = Percent(2);
  budgets["stick-lite"].bundle = Bytes(40 * 1024);
  Json baseline = Baseline();
  std::vector<BudgetResult> results = CheckBudgets(budgets, Report(), &baseline);
  Json report = Report();
  report["budgets"] = BudgetsToJson(results, true, "base/report.json");
  EXPECT_EQ(report["budgets"]["checked"], true);
  EXPECT_EQ(report["budgets"]["baseline"], "base/report.json");
  ASSERT_EQ(report["budgets"]["results"].size(), 6u);
  EXPECT_EQ(report["budgets"]["results"][0]["rule"], "bundle");
  EXPECT_TRUE(BudgetsToJson({}, false, "")["baseline"].is_null());

  std::string xml = RenderJUnit(report);
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
  EXPECT_NE(xml.find("<testsuite name=\"wasmship budgets\" tests=\"6\" failures=\"3\""), std::string::npos)
      << xml;
  EXPECT_EQ(Count(xml, "<testcase "), 6u);
  EXPECT_EQ(Count(xml, "</testcase>"), 6u);
  EXPECT_EQ(Count(xml, "<failure "), 3u);
  EXPECT_NE(xml.find("<testcase classname=\"stick-lite\" name=\"bundle\">"), std::string::npos);
  EXPECT_NE(xml.find("message=\"bundle: 44.1 KiB exceeds the limit 40 KiB (variant base-64m-release)\""),
            std::string::npos);
  EXPECT_EQ(Count(xml, "<testsuite "), 1u);
  EXPECT_TRUE(xml.ends_with("</testsuites>\n"));
  ExpectWellFormed(xml);
}

TEST(BudgetsTest, JUnitEscapesEverything) {
  Json report = {{"budgets",
                  {{"checked", true},
                   {"results", Json::array({{{"device", "tv<&>\"'"},
                                             {"variant", "v"},
                                             {"rule", "component <x>"},
                                             {"limit", "1 B"},
                                             {"actual", "2 B \x01"},
                                             {"ok", false}}})}}}};
  std::string xml = RenderJUnit(report);
  EXPECT_NE(xml.find("classname=\"tv&lt;&amp;&gt;&quot;&#39;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"component &lt;x&gt;\""), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(Count(xml, "<failure "), 1u);
  ExpectWellFormed(xml);
  // No budgets at all: an empty suite.
  EXPECT_NE(RenderJUnit(Json::object()).find("tests=\"0\" failures=\"0\""), std::string::npos);
}


void ExpectContains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in:\n" << text;
}

// What `build` records from the perf script: interp gives instructions and
// time, aot time only.
Json WithPerf() {
  Json report = Report();
  report["variants"][0]["perf"] = Json::parse(R"({
    "script": "perf.yaml",
    "engines": { "tv-2019": "interp", "tv-2020": "aot" },
    "runs": {
      "interp": { "startup_ms": 70.5, "frame_ms_p99": 12.25, "input_ms_p99": 30,
                  "startup_instructions": 3700000, "frame_instructions_p99": 800000,
                  "input_instructions_p99": 1100000 },
      "aot": { "startup_ms": 9.5, "frame_ms_p99": 2.5, "input_ms_p99": 4 }
    }
  })");
  return report;
}

TEST(BudgetsTest, InstructionBudgetsGateOnTheInterpFigures) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].startup_instructions = 4000000;
  budgets["default"].frame_instructions_p99 = 700000;  // 800,000 is over
  budgets["tv-2020"].input_instructions_p99 = 1000000;  // 1,100,000 is over, for tv-2020 only
  std::vector<BudgetResult> r = CheckBudgets(budgets, WithPerf(), nullptr);
  const BudgetResult* startup = Find(r, "tv-2019", "startup_instructions");
  ASSERT_NE(startup, nullptr);
  EXPECT_TRUE(startup->ok);
  EXPECT_EQ(startup->limit, "4,000,000 instructions");
  EXPECT_EQ(startup->actual, "3,700,000 instructions (interp)");
  const BudgetResult* frame = Find(r, "tv-2019", "frame_instructions_p99");
  ASSERT_NE(frame, nullptr);
  EXPECT_FALSE(frame->ok);
  EXPECT_EQ(frame->actual, "800,000 instructions (interp)");
  // tv-2020's engine is aot, but instructions are always interp's.
  EXPECT_FALSE(Find(r, "tv-2020", "input_instructions_p99")->ok);
  EXPECT_EQ(Find(r, "tv-2019", "input_instructions_p99"), nullptr);
  // stick-lite's variant was not measured.
  EXPECT_EQ(Find(r, "stick-lite", "startup_instructions")->actual, "skipped: not measured");
  EXPECT_TRUE(Find(r, "stick-lite", "startup_instructions")->ok);
}

TEST(BudgetsTest, TimeBudgetsReadTheDevicesEngineAndOnlyWarnUnlessStrict) {
  std::map<std::string, BudgetRules> budgets;
  budgets["default"].startup_ms = 50;  // interp's 70.5 is over, aot's 9.5 is not
  budgets["default"].frame_ms_p99 = 16;
  std::vector<BudgetResult> r = CheckBudgets(budgets, WithPerf(), nullptr);
  const BudgetResult* tv2019 = Find(r, "tv-2019", "startup_ms");
  ASSERT_NE(tv2019, nullptr);
  EXPECT_TRUE(tv2019->ok);
  EXPECT_TRUE(tv2019->advisory);
  EXPECT_EQ(tv2019->limit, "50.00 ms");
  ExpectContains(tv2019->actual, "70.50 ms (interp; over, advisory");
  const BudgetResult* tv2020 = Find(r, "tv-2020", "startup_ms");
  EXPECT_TRUE(tv2020->ok);
  EXPECT_FALSE(tv2020->advisory);
  EXPECT_EQ(tv2020->actual, "9.50 ms (aot)");
  Json json = BudgetsToJson(r, true, "");
  size_t advisory = 0;
  for (const Json& j : json["results"]) advisory += j.value("advisory", false);
  EXPECT_EQ(advisory, 1u);

  budgets["default"].strict_time = true;
  r = CheckBudgets(budgets, WithPerf(), nullptr);
  EXPECT_FALSE(Find(r, "tv-2019", "startup_ms")->ok);
  EXPECT_FALSE(Find(r, "tv-2019", "startup_ms")->advisory);
  EXPECT_EQ(Find(r, "tv-2019", "startup_ms")->actual, "70.50 ms (interp)");
  EXPECT_TRUE(Find(r, "tv-2020", "startup_ms")->ok);
}

TEST(BudgetsTest, PerfFiguresShowBesideTheSizes) {
  std::vector<std::string> facts = PerfFacts(WithPerf()["variants"][0]);
  ASSERT_EQ(facts.size(), 2u);
  ExpectContains(facts[0], "performance (interp, perf.yaml): startup 70.50 ms, frame p99 12.25 ms");
  ExpectContains(facts[0], "instructions: startup 3,700,000, frame p99 800,000, input p99 1,100,000");
  ExpectContains(facts[1], "performance (aot, perf.yaml): startup 9.50 ms");
  EXPECT_EQ(facts[1].find("instructions"), std::string::npos);
  std::string text = RenderReportText(WithPerf(), 5);
  ExpectContains(text, "performance (interp, perf.yaml)");
}

}  // namespace
}  // namespace ws::size
