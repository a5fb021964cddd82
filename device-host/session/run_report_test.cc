#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "device-host/device_host.h"
#include "device-host/session/app_runner.h"

namespace ws::host {
namespace {

TEST(RunReportTest, PercentilesUseNearestRank) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 50), 50);
  EXPECT_EQ(Percentile(v, 99), 99);
  EXPECT_EQ(Percentile(v, 100), 100);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_EQ(Percentile({}, 50), 0);
}

TEST(RunReportTest, TextAndJsonCarryTheFigures) {
  RunReport r;
  r.engine = "interp";
  r.frames = 3;
  r.draw_lists = 2;
  r.frame_ms = {1.0, 2.0, 10.0};
  r.latency_ms = {2.5};
  r.instructions = {1000, 3000, 2000};
  r.peak_memory = 3 << 20;
  r.traps.push_back({"unreachable", "", "ws_frame", 2, {"Crash() (func 7)"}});
  std::string text = ReportText(r);
  EXPECT_NE(text.find("p99 10.00 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("mean 2000  max 3000"), std::string::npos) << text;
  EXPECT_NE(text.find("3.00 MiB"), std::string::npos) << text;
  nlohmann::json json = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(json["frame_ms"]["p50"], 2.0);
  EXPECT_EQ(json["input_latency_ms"]["samples"], 1);
  EXPECT_EQ(json["traps"][0]["stack"][0], "Crash() (func 7)");
}

TEST(RunReportTest, ExpectStepsOfAScriptAreReported) {
  RunReport r;
  r.expects.resize(2);
  r.expects[0].line = 3;
  r.expects[1].line = 5;
  r.expects[1].failures.push_back({"focused_text", "expected the focus on \"A\", found it on \"B\""});
  std::string text = ReportText(r);
  EXPECT_NE(text.find("expect                 line 3: ok\n"), std::string::npos) << text;
  EXPECT_NE(text.find("line 5: FAILED focused_text: expected the focus on \"A\""), std::string::npos) << text;
  nlohmann::json json = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(json["expects"][0]["passed"], true);
  EXPECT_EQ(json["expects"][1]["line"], 5);
  EXPECT_EQ(json["expects"][1]["failures"][0]["check"], "focused_text");
  EXPECT_FALSE(nlohmann::json::parse(ReportJson(RunReport{})).contains("expects"));
}

TEST(RunReportTest, StartupPhasesAddUpToTheTotal) {
  StartupFigures s;
  s.instantiate_ms = 2;
  s.init_ms = 5;
  s.instantiate_instructions = 10;
  s.init_instructions = 1000;
  EXPECT_FALSE(AddFirstFrame(s, 3, 500, /*submitted=*/false));  // an asset still loading: no picture yet
  EXPECT_TRUE(AddFirstFrame(s, 4, 700, /*submitted=*/true));
  EXPECT_DOUBLE_EQ(s.first_frame_ms, 7);
  EXPECT_DOUBLE_EQ(s.total_ms, 14);
  EXPECT_EQ(s.first_frame_instructions, 1200u);
  EXPECT_EQ(s.instructions, 2210u);
  EXPECT_EQ(s.first_frame_calls, 2);

  RunReport r;
  r.engine = "interp";
  r.startup = s;
  r.startup.measured = true;
  std::string text = ReportText(r);
  EXPECT_NE(text.find("startup                14.00 ms (instantiate 2.00 ms, init 5.00 ms, first frame 7.00 ms)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("startup instructions   2210"), std::string::npos) << text;
  nlohmann::json json = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(json["startup"]["total_ms"], 14.0);
  EXPECT_EQ(json["startup"]["first_frame_ms"], 7.0);
  EXPECT_EQ(json["startup"]["instructions"], 2210);
  EXPECT_EQ(json["startup"]["init_instructions"], 1000);
}

}  // namespace
}  // namespace ws::host
